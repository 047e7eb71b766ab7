#!/usr/bin/env node
import { trainCharLm } from './commands/train-charlm.js';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<void>; help: string }> = {
  'train-charlm': { run: trainCharLm, help: 'train a character-level LSTM language model on Moby Dick and sample from it' },
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    console.log(`usage: recurrent <command> [flags]\n${Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(14)} ${c.help}`).join('\n')}`);
    process.exitCode = name === undefined || name === '--help' ? 0 : 2;
    return;
  }
  await command.run(rest);
}

main(process.argv.slice(2)).catch((e: Error) => {
  console.error(`recurrent: ${e.message}`);
  process.exitCode = 1;
});
