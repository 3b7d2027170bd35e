#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --experimental-strip-types --heap-growing-percent=100
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config/load.ts';
import { LivoraError } from '../errors.ts';
import { type Role, runEngine, VERSION } from '../main/engine.ts';
import { configCommand } from './commands/config.ts';
import { costCommand } from './commands/cost.ts';
import { deadLetterCommands } from './commands/dlq.ts';
import { keyCommands } from './commands/keys.ts';
import { schemaCommands } from './commands/schemas.ts';
import { tenantCommands } from './commands/tenants.ts';
import { tokenCommand } from './commands/token.ts';
import { userCommands } from './commands/users.ts';
import { warehouseCommands } from './commands/warehouse.ts';

const program = new Command('livora')
  .description('Livora: an open customer-intelligence engine')
  .version(VERSION)
  .option('--json', 'print JSON instead of readable text')
  .showHelpAfterError();
const json = () => Boolean(program.opts().json);

program
  .command('start')
  .description(
    'Run every role in one process: HTTP API, pipeline, Temporal worker (and its dev server), embedded PostgreSQL',
  )
  .action(() => {
    const config = loadConfig();
    const roles: Role[] = config.pipeline.mode === 'on' ? ['api', 'worker', 'pipeline'] : ['api', 'worker'];
    return runEngine(roles, { lockName: 'engine', config });
  });
program
  .command('api')
  .description('Run the HTTP API role alone')
  .action(() => runEngine(['api'], { lockName: 'api' }));
program
  .command('worker')
  .description('Run the Temporal worker role alone')
  .action(() => runEngine(['worker'], { lockName: 'worker' }));
program
  .command('pipeline')
  .description('Run the pipeline consumer alone (several share the partitions through leases)')
  .action(() => runEngine(['pipeline'], { lockName: 'pipeline' }));
tenantCommands(program, json);
keyCommands(program, json);
userCommands(program, json);
tokenCommand(program, json);
schemaCommands(program, json);
deadLetterCommands(program, json);
configCommand(program, json);
warehouseCommands(program, json);
costCommand(program, json);

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
