#!/usr/bin/env node
// The `urseal` command: a thin table of command groups, each in cli/commands/<name>.ts with `register(program)`.
import type { Command } from 'commander';
import { chooseLanguage, createProgram, reportError, runProgram } from './program.js';

type CommandModule = { register(program: Command): void };

/**
 * Top-level command name -> its module. Only the group asked for is imported, so `urseal verify` does not
 * load the issuer service (HTTP server, SQLite, PDF library); `--help`, `help` and unknown names load all.
 */
const COMMANDS: [name: string, load: () => Promise<CommandModule>][] = [
  ['root', () => import('./commands/root.js')],
  ['agency', () => import('./commands/agency.js')],
  ['trust-list', () => import('./commands/trust-list.js')],
  ['status-list', () => import('./commands/status-list.js')],
  ['seal', () => import('./commands/seal.js')],
  ['stamp', () => import('./commands/stamp.js')],
  ['verify', () => import('./commands/verify.js')],
  ['serve', () => import('./commands/serve.js')],
  ['token', () => import('./commands/token.js')],
  ['issuer', () => import('./commands/issuer-admin.js')],
];

const program = createProgram();
let args: string[] = [];
try {
  // The language first, so that every line after it (errors of loading included) is in the reader's language.
  args = chooseLanguage(process.argv.slice(2), process.env['URSEAL_LANG']);
} catch (e) {
  process.exit(reportError(e));
}
const asked = COMMANDS.find(([name]) => name === args[0]);
try {
  for (const [, load] of asked ? [asked] : COMMANDS) (await load()).register(program);
} catch (e) {
  process.exit(reportError(e));
}
await runProgram(program, [...process.argv.slice(0, 2), ...args]);
