// A small subset of the API server's CRD validation, enough to show that a manifest is admitted by
// our schemas and keeps all its fields: types, required, enum, pattern, bounds, oneOf-of-required,
// and pruning (a field the schema does not declare would be silently dropped by the API server).

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minProperties?: number;
  maxProperties?: number;
  maxItems?: number;
  oneOf?: Schema[];
  anyOf?: Schema[];
  not?: Schema;
  default?: unknown;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [key: string]: unknown;
}

/** Problems found in `value` against `schema`; empty when the API server would admit it unchanged. */
export function checkAgainstSchema(schema: Schema, value: unknown, path = ''): string[] {
  const problems = [...checkType(schema, value, path)];
  if (problems.length > 0) return problems;
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value)) {
    problems.push(`${path}: "${value}" does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path}: below minimum`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path}: above maximum`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${path}: too many items`);
    if (schema.items) value.forEach((v, i) => problems.push(...checkAgainstSchema(schema.items as Schema, v, `${path}[${i}]`)));
  } else if (isObject(value)) {
    problems.push(...checkObject(schema, value, path));
  }
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((branch) => checkAgainstSchema(branch, value, path).length === 0).length;
    if (matching !== 1) problems.push(`${path}: matches ${matching} oneOf branches, expected exactly 1`);
  }
  if (schema.anyOf && !schema.anyOf.some((branch) => checkAgainstSchema(branch, value, path).length === 0)) {
    problems.push(`${path}: matches no anyOf branch`);
  }
  if (schema.not && checkAgainstSchema(schema.not, value, path).length === 0) problems.push(`${path}: matches "not"`);
  return problems;
}

function checkType(schema: Schema, value: unknown, path: string): string[] {
  if (schema['x-kubernetes-int-or-string']) {
    return Number.isInteger(value) || typeof value === 'string' ? [] : [`${path}: expected int or string`];
  }
  const ok =
    schema.type === undefined
      ? true
      : schema.type === 'object'
        ? isObject(value)
        : schema.type === 'array'
          ? Array.isArray(value)
          : schema.type === 'integer'
            ? Number.isInteger(value)
            : typeof value === schema.type;
  return ok ? [] : [`${path}: expected ${schema.type}, got ${JSON.stringify(value)}`];
}

function checkObject(schema: Schema, value: Record<string, unknown>, path: string): string[] {
  const problems: string[] = [];
  for (const key of schema.required ?? []) {
    if (!(key in value)) problems.push(`${path}.${key}: required`);
  }
  const keys = Object.keys(value);
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) problems.push(`${path}: too many properties`);
  if (schema.minProperties !== undefined && keys.length < schema.minProperties) problems.push(`${path}: too few properties`);
  for (const key of keys) {
    // ObjectMeta is validated by the API server itself, never pruned by the CRD schema.
    if (path === '' && key === 'metadata') continue;
    const sub = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (sub) problems.push(...checkAgainstSchema(sub, value[key], `${path}.${key}`));
    // Branch schemas (oneOf members) only carry `required`; pruning is judged on the parent.
    else if (schema.type === 'object' && !schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties !== true) {
      problems.push(`${path}.${key}: not in the schema, the API server would drop it`);
    }
  }
  return problems;
}

/** Breaks of the API server's "structural schema" rules that would make it refuse the CRD. */
export function structuralProblems(schema: Schema, path = ''): string[] {
  const problems: string[] = [];
  if ('$ref' in schema) problems.push(`${path}: $ref is not allowed`);
  if (!schema.type && !schema['x-kubernetes-int-or-string'] && !schema['x-kubernetes-preserve-unknown-fields']) {
    problems.push(`${path}: missing type`);
  }
  for (const [key, sub] of Object.entries(schema.properties ?? {})) problems.push(...structuralProblems(sub, `${path}.${key}`));
  if (typeof schema.additionalProperties === 'object') problems.push(...structuralProblems(schema.additionalProperties, `${path}{*}`));
  if (schema.items) problems.push(...structuralProblems(schema.items, `${path}[*]`));
  for (const branch of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.not ? [schema.not] : [])]) {
    problems.push(...branchProblems(branch, path));
  }
  return problems;
}

// Inside oneOf/anyOf/not only value validations may appear: no types, defaults or descriptions.
function branchProblems(branch: Schema, path: string): string[] {
  const banned = [
    'type',
    'default',
    'description',
    'additionalProperties',
    'nullable',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-int-or-string',
  ];
  const problems = banned.filter((k) => k in branch).map((k) => `${path}: "${k}" inside a oneOf/anyOf/not branch`);
  for (const nested of [...(branch.oneOf ?? []), ...(branch.anyOf ?? []), ...(branch.not ? [branch.not] : [])]) {
    problems.push(...branchProblems(nested, path));
  }
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
