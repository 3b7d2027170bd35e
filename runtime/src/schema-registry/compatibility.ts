import { baseType, type FieldSchema, isNullable, pointerToken, type SchemaIssue } from './event-schema.ts';

/**
 * Backward compatibility, as schema registries use the word: events valid under the
 * previous version must stay valid under the new one, so consumers can read old and new
 * events with the new schema. Adding optional properties, removing properties from an
 * open object, widening ranges and enums, and integer → number are compatible; adding a
 * required property, narrowing a type, range, length or enum are not.
 */
export function backwardIncompatibilities(previous: FieldSchema, next: FieldSchema, path = ''): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const at = (suffix: string) => path + suffix || '/';
  const was = baseType(previous);
  const now = baseType(next);

  if (isNullable(previous) && !isNullable(next)) {
    issues.push({ path: at('/type'), message: 'no longer accepts null' });
  }
  if (was !== now && !(was === 'integer' && now === 'number')) {
    issues.push({ path: at('/type'), message: `type changed from ${was} to ${now}` });
    return issues;
  }

  narrowed(previous.minLength, next.minLength, 'min', 'minLength', at, issues);
  narrowed(previous.maxLength, next.maxLength, 'max', 'maxLength', at, issues);
  narrowed(previous.minimum, next.minimum, 'min', 'minimum', at, issues);
  narrowed(previous.maximum, next.maximum, 'max', 'maximum', at, issues);
  narrowed(previous.minItems, next.minItems, 'min', 'minItems', at, issues);
  narrowed(previous.maxItems, next.maxItems, 'max', 'maxItems', at, issues);

  if (next.enum) {
    const allowed = new Set(next.enum);
    const lost = previous.enum ? previous.enum.filter((v) => !allowed.has(v)) : null;
    if (lost === null)
      issues.push({ path: at('/enum'), message: 'restricts to a list of values where any was accepted' });
    else if (lost.length > 0)
      issues.push({ path: at('/enum'), message: `no longer accepts ${lost.map((v) => JSON.stringify(v)).join(', ')}` });
  }
  if (next.format !== undefined && next.format !== previous.format) {
    issues.push({ path: at('/format'), message: `requires format ${next.format}` });
  }

  if (now === 'array' && previous.items && next.items) {
    issues.push(...backwardIncompatibilities(previous.items, next.items, `${path}/items`));
  }
  if (now === 'object') {
    const before = previous.properties ?? {};
    const after = next.properties ?? {};
    const wasRequired = new Set(previous.required ?? []);
    for (const name of next.required ?? []) {
      if (!wasRequired.has(name)) {
        issues.push({ path: at(`/properties/${pointerToken(name)}`), message: `"${name}" became required` });
      }
    }
    for (const [name, schema] of Object.entries(before)) {
      const successor = Object.hasOwn(after, name) ? after[name] : undefined;
      if (successor) {
        issues.push(...backwardIncompatibilities(schema, successor, `${path}/properties/${pointerToken(name)}`));
      } else if (next.additionalProperties === false) {
        issues.push({
          path: at(`/properties/${pointerToken(name)}`),
          message: `"${name}" was removed while additional properties are refused`,
        });
      }
    }
    if (previous.additionalProperties !== false && next.additionalProperties === false) {
      issues.push({ path: at('/additionalProperties'), message: 'refuses additional properties that were accepted' });
    }
  }
  return issues;
}

function narrowed(
  before: number | undefined,
  after: number | undefined,
  side: 'min' | 'max',
  keyword: string,
  at: (suffix: string) => string,
  issues: SchemaIssue[],
): void {
  if (after === undefined) return;
  const tighter = before === undefined || (side === 'min' ? after > before : after < before);
  if (tighter) issues.push({ path: at(`/${keyword}`), message: `${keyword} narrowed to ${after}` });
}
