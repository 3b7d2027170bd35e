#!/usr/bin/env -S node --experimental-strip-types
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.ts';
import { LivoraError } from '../errors.ts';
import { runEngine, VERSION } from '../main/engine.ts';
import { configCommand } from './commands/config.ts';
import { keyCommands } from './commands/keys.ts';
import { schemaCommands } from './commands/schemas.ts';
import { tenantCommands } from './commands/tenants.ts';
import { tokenCommand } from './commands/token.ts';

const program = new Command('livora')
  .description('Livora: an open customer-intelligence engine')
  .version(VERSION)
  .option('--json', 'print JSON instead of readable text')
  .showHelpAfterError();
const json = () => Boolean(program.opts().json);

program
  .command('start')
  .description('Run every role in one process: HTTP API, Temporal worker (and its dev server), embedded PostgreSQL')
  .action(() => runEngine(['api', 'worker'], { lockName: 'engine' }));
program
  .command('api')
  .description('Run the HTTP API role alone')
  .action(() => runEngine(['api'], { lockName: 'api' }));
program
  .command('worker')
  .description('Run the Temporal worker role alone')
  .action(() => runEngine(['worker'], { lockName: 'worker' }));
tenantCommands(program, json);
keyCommands(program, json);
tokenCommand(program, json);
schemaCommands(program, json);
configCommand(program, json);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n\nRun "livora config" to see every setting.\n`);
    process.exit(2);
  }
  if (error instanceof LivoraError) {
    if (json())
      process.stderr.write(`${JSON.stringify({ code: error.code, message: error.message, ...error.details })}\n`);
    else process.stderr.write(`error ${error.code}: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
