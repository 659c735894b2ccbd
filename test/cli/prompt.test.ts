// The interactive passphrase prompt on a real terminal (a pty made by util-linux `script`): no echo, asked twice.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKeyFile } from '../../keys/key-file.js';
import { ENV, MAIN, workdir } from './helpers.js';

const HAVE_SCRIPT = spawnSync('script', ['--version']).status === 0;
const TYPED = 'typed secret passphrase';

/** Run urseal on a pty, answering each prompt (matched by its English text) with the next answer. */
function onTerminal(cwd: string, args: string[], answers: [string, string][]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const command = [process.execPath, MAIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, ...ENV } });
    let output = '';
    let next = 0;
    const onData = (b: Buffer) => {
      output += b.toString('utf8');
      while (next < answers.length && output.includes(answers[next]![0])) {
        child.stdin.write(`${answers[next]![1]}\r`);
        next++;
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

describe.skipIf(!HAVE_SCRIPT)('passphrase prompt on a terminal', () => {
  it('asks twice without echo and creates a key that opens with the typed passphrase', async () => {
    const dir = workdir();
    const r = await onTerminal(
      dir,
      ['root', 'init', '--out', 'root.key'],
      [
        ['New key passphrase', TYPED],
        ['Repeat', TYPED],
      ],
    );
    expect(r.code).toBe(0);
    expect(r.output).not.toContain(TYPED);
    expect(r.output).toMatch(/kid [0-9a-f]{16}/);
    const k = await loadKeyFile(join(dir, 'root.key'), 'root', async () => TYPED);
    expect(k.header.kind).toBe('root');
  });

  it('two different passphrases: one error line, exit 2, no file', async () => {
    const dir = workdir();
    const r = await onTerminal(
      dir,
      ['root', 'init', '--out', 'root.key'],
      [
        ['New key passphrase', TYPED],
        ['Repeat', 'something else entirely'],
      ],
    );
    expect(r.code).toBe(2);
    expect(r.output).toContain('URSEAL_E_PASSPHRASE_MISMATCH');
    expect(existsSync(join(dir, 'root.key'))).toBe(false);
  });
});
