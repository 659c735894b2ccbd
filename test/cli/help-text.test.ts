// `--help` in Kurdish Sorani: every command description registered `<Arabic> | <English>` has its Kurdish entry.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CKB_HELP, localDescription } from '../../cli/help-text.js';
import * as agency from '../../cli/commands/agency.js';
import * as issuerAdmin from '../../cli/commands/issuer-admin.js';
import * as root from '../../cli/commands/root.js';
import * as seal from '../../cli/commands/seal.js';
import * as serve from '../../cli/commands/serve.js';
import * as stamp from '../../cli/commands/stamp.js';
import * as statusList from '../../cli/commands/status-list.js';
import * as token from '../../cli/commands/token.js';
import * as trustList from '../../cli/commands/trust-list.js';
import * as verify from '../../cli/commands/verify.js';
import { createProgram } from '../../cli/program.js';

/** Every command group of cli/main.ts. */
const GROUPS = [root, agency, trustList, statusList, seal, stamp, verify, serve, token, issuerAdmin];

function allCommands(): Command[] {
  const program = createProgram();
  for (const g of GROUPS) g.register(program);
  const walk = (c: Command): Command[] => [c, ...c.commands.flatMap(walk)];
  return walk(program);
}

describe('command descriptions in Kurdish', () => {
  it('every description is `<Arabic> | <English>` and its English has a Kurdish entry; no entry is stale', () => {
    const commands = allCommands();
    expect(commands.length).toBeGreaterThan(30);
    const english = commands.map((c) => {
      const d = c.description();
      expect(d, c.name()).toContain(' | ');
      return d.slice(d.indexOf(' | ') + 3);
    });
    expect(english.filter((en) => !Object.hasOwn(CKB_HELP, en))).toEqual([]);
    expect(Object.keys(CKB_HELP).filter((en) => !english.includes(en))).toEqual([]);
    for (const ckb of Object.values(CKB_HELP)) expect(ckb).toMatch(/[\u06D5\u06CE\u06C6\u0695\u06B5]/);
  });

  it('shows Kurdish then English for ckb, English alone for en, the registered text for ar', () => {
    const d = 'إزالة جذر | stop trusting a root for the next lists';
    expect(localDescription(d, 'ckb')).toBe('لابردنی ڕەگ | stop trusting a root for the next lists');
    expect(localDescription(d, 'en')).toBe('stop trusting a root for the next lists');
    expect(localDescription(d, 'ar')).toBe(d);
    expect(localDescription('عربي | not in the table', 'ckb')).toBe('عربي | not in the table');
  });
});
