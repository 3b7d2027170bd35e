/**
 * The schema language of tenant event schemas: a subset of JSON Schema (draft 2020-12)
 * that the registry can check for compatibility and export to Avro. A registered schema
 * describes the `properties` of track events of one name.
 */

export const BASE_TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object'] as const;
export type BaseType = (typeof BASE_TYPES)[number];

export interface FieldSchema {
  /** A type, or a type and "null" for a nullable field. */
  readonly type: BaseType | readonly [BaseType, 'null'];
  readonly description?: string;
  readonly enum?: readonly (string | number)[];
  readonly format?: StringFormat;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: FieldSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Readonly<Record<string, FieldSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
}

export type ObjectSchema = FieldSchema & { readonly type: 'object' };

export const STRING_FORMATS = ['date-time', 'date', 'email', 'uri', 'uuid'] as const;
export type StringFormat = (typeof STRING_FORMATS)[number];

export interface SchemaIssue {
  /** JSON pointer into the schema. */
  readonly path: string;
  readonly message: string;
}

const KEYWORDS: Readonly<Record<BaseType, readonly string[]>> = {
  // No `pattern`: a tenant's regular expression would run on every event, and a
  // backtracking one (^(a+)+$) can stall the API for every tenant.
  string: ['enum', 'format', 'minLength', 'maxLength'],
  number: ['enum', 'minimum', 'maximum'],
  integer: ['enum', 'minimum', 'maximum'],
  boolean: [],
  array: ['items', 'minItems', 'maxItems'],
  object: ['properties', 'required', 'additionalProperties'],
};
const ANNOTATIONS = ['type', 'description', 'title', '$schema', '$id', '$comment', 'examples'];
const MAX_DEPTH = 8;

/** The base type of a field, nullable or not. */
export function baseType(schema: FieldSchema): BaseType {
  return typeof schema.type === 'string' ? schema.type : schema.type[0];
}

export function isNullable(schema: FieldSchema): boolean {
  return typeof schema.type !== 'string';
}

/** Checks that `value` is a schema the registry accepts: a JSON Schema object of the subset. */
export function parseEventSchema(value: unknown): { schema: ObjectSchema; issues: [] } | { issues: SchemaIssue[] } {
  const issues: SchemaIssue[] = [];
  checkField(value, '', 0, issues);
  if (issues.length === 0 && (value as FieldSchema).type !== 'object') {
    issues.push({ path: '/type', message: 'the root of an event schema must be of type "object" (not nullable)' });
  }
  return issues.length === 0 ? { schema: value as ObjectSchema, issues: [] } : { issues };
}

function checkField(value: unknown, path: string, depth: number, issues: SchemaIssue[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push({ path: path || '/', message: 'must be a JSON Schema object' });
    return;
  }
  if (depth > MAX_DEPTH) {
    issues.push({ path, message: `nesting deeper than ${MAX_DEPTH} levels is not supported` });
    return;
  }
  const node = value as Record<string, unknown>;
  const type = readType(node.type, `${path}/type`, issues);
  if (!type) return;
  const allowed = new Set([...ANNOTATIONS, ...KEYWORDS[type]]);
  for (const key of Object.keys(node)) {
    if (!allowed.has(key)) {
      issues.push({
        path: `${path}/${pointerToken(key)}`,
        message: `keyword "${key}" is not supported for type "${type}"`,
      });
    }
  }
  if (node.description !== undefined && typeof node.description !== 'string') {
    issues.push({ path: `${path}/description`, message: 'must be a string' });
  }
  for (const key of ['minLength', 'maxLength', 'minItems', 'maxItems']) {
    if (node[key] !== undefined && !(Number.isInteger(node[key]) && (node[key] as number) >= 0)) {
      issues.push({ path: `${path}/${key}`, message: 'must be a non-negative integer' });
    }
  }
  for (const key of ['minimum', 'maximum']) {
    if (node[key] !== undefined && typeof node[key] !== 'number') {
      issues.push({ path: `${path}/${key}`, message: 'must be a number' });
    }
  }
  if (node.format !== undefined && !(STRING_FORMATS as readonly unknown[]).includes(node.format)) {
    issues.push({ path: `${path}/format`, message: `must be one of ${STRING_FORMATS.join(', ')}` });
  }
  for (const [min, max] of [
    ['minLength', 'maxLength'],
    ['minimum', 'maximum'],
    ['minItems', 'maxItems'],
  ] as const) {
    if (
      typeof node[min] === 'number' &&
      typeof node[max] === 'number' &&
      (node[min] as number) > (node[max] as number)
    ) {
      issues.push({ path: `${path}/${min}`, message: `is greater than ${max}: nothing could match` });
    }
  }
  if (node.enum !== undefined) {
    const itemType = type === 'string' ? 'string' : 'number';
    const ok =
      Array.isArray(node.enum) &&
      node.enum.length > 0 &&
      node.enum.every((v) => typeof v === itemType && (type !== 'integer' || Number.isInteger(v))) &&
      new Set(node.enum).size === node.enum.length;
    if (!ok) issues.push({ path: `${path}/enum`, message: `must be a non-empty list of distinct ${type} values` });
  }
  if (type === 'array') {
    if (node.items === undefined) issues.push({ path: `${path}/items`, message: 'an array must declare its items' });
    else checkField(node.items, `${path}/items`, depth + 1, issues);
  }
  if (type === 'object') checkObject(node, path, depth, issues);
}

function checkObject(node: Record<string, unknown>, path: string, depth: number, issues: SchemaIssue[]): void {
  const properties = node.properties ?? {};
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    issues.push({ path: `${path}/properties`, message: 'must be an object of property schemas' });
    return;
  }
  for (const [name, child] of Object.entries(properties)) {
    checkField(child, `${path}/properties/${pointerToken(name)}`, depth + 1, issues);
  }
  if (node.required !== undefined) {
    const required = node.required;
    if (!Array.isArray(required) || !required.every((r) => typeof r === 'string')) {
      issues.push({ path: `${path}/required`, message: 'must be a list of property names' });
    } else {
      for (const name of required) {
        if (!Object.hasOwn(properties, name)) {
          issues.push({ path: `${path}/required`, message: `"${name}" is required but not among the properties` });
        }
      }
    }
  }
  if (node.additionalProperties !== undefined && typeof node.additionalProperties !== 'boolean') {
    issues.push({ path: `${path}/additionalProperties`, message: 'must be true or false' });
  }
}

function readType(value: unknown, path: string, issues: SchemaIssue[]): BaseType | null {
  const isBase = (v: unknown): v is BaseType => (BASE_TYPES as readonly unknown[]).includes(v);
  if (isBase(value)) return value;
  if (Array.isArray(value) && value.length === 2 && isBase(value[0]) && value[1] === 'null') return value[0];
  issues.push({
    path,
    message: `must be one of ${BASE_TYPES.join(', ')}, or [type, "null"] for a nullable field`,
  });
  return null;
}

/** Escapes a property name for a JSON pointer (RFC 6901). */
export function pointerToken(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}
