import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { canonicalAvroSchema, eventAvroSchema } from '../../schema-registry/to-avro.ts';
import { canonicalJsonSchema, eventJsonSchema } from '../../schema-registry/to-json-schema.ts';
import { canonicalProto } from '../../schema-registry/to-proto.ts';
import { withServices } from '../context.ts';
import { print, table } from '../output.ts';
import { positiveInteger } from './parse.ts';

export function schemaCommands(program: Command, json: () => boolean): void {
  const schemas = program.command('schemas').description('The schema registry: versioned schemas of track events');
  schemas
    .command('put')
    .description('Register a new version of an event schema (JSON Schema of its properties)')
    .requiredOption('--tenant <id>', 'tenant')
    .requiredOption('--event <name>', 'event name, e.g. "Order Completed"')
    .requiredOption('--file <path>', 'file holding the JSON Schema')
    .option('--description <text>', 'what changed')
    .action((options: { tenant: string; event: string; file: string; description?: string }) =>
      withServices(async ({ services }) => {
        const schema = JSON.parse(await readFile(options.file, 'utf8'));
        const { created, version } = await services.registry.register(
          options.tenant,
          options.event,
          schema,
          options.description ?? null,
        );
        print(json(), { created, ...version }, () =>
          created
            ? `Registered "${version.event}" version ${version.version}`
            : `Unchanged: "${version.event}" version ${version.version} is already this schema`,
        );
      }),
    );
  schemas
    .command('list')
    .description('Latest version of every event schema of a tenant')
    .requiredOption('--tenant <id>', 'tenant')
    .action((options: { tenant: string }) =>
      withServices(async ({ services }) => {
        const all = await services.registry.list(options.tenant);
        print(json(), all, () =>
          table([
            ['EVENT', 'VERSION', 'CREATED'],
            ...all.map((v) => [v.event, String(v.version), v.createdAt.toISOString()]),
          ]),
        );
      }),
    );
  schemas
    .command('get')
    .description('One version of an event schema, stored or exported')
    .requiredOption('--tenant <id>', 'tenant')
    .requiredOption('--event <name>', 'event name')
    .option('--version <n>', 'version (default: latest)', positiveInteger)
    .option('--format <format>', 'livora | json-schema | avro', 'livora')
    .action((options: { tenant: string; event: string; version?: number; format: string }) =>
      withServices(async ({ services }) => {
        const versions = await services.registry.versions(options.tenant, options.event);
        const v =
          options.version === undefined
            ? versions.at(-1)
            : await services.registry.version(options.tenant, options.event, options.version);
        if (!v) return;
        const document =
          options.format === 'json-schema'
            ? eventJsonSchema(options.tenant, v.event, v.version, v.schema)
            : options.format === 'avro'
              ? eventAvroSchema(options.tenant, v.event, v.version, v.schema)
              : v;
        process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      }),
    );
  schemas
    .command('canonical')
    .description('The canonical event as JSON Schema, Avro or a .proto file')
    .option('--format <format>', 'json-schema | avro | proto', 'json-schema')
    .action(async (options: { format: string }) => {
      if (options.format === 'proto') process.stdout.write(canonicalProto());
      else {
        const document = options.format === 'avro' ? canonicalAvroSchema() : canonicalJsonSchema();
        process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      }
    });
}
