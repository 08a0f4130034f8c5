// The blueprint library's public surface: pure code, safe to import from workflows.
export type * from './model';
export { loadBlueprint, type LoadOptions, type LoadResult } from './load';
export { importCompose } from './compose/importCompose';
export { formatDiagnostic, formatDiagnostics, type Diagnostic, type Severity } from './diagnostic';
export { blueprintJsonSchema, blueprintSchemaId } from './jsonSchema';
export { summary } from './summary';
export { dependencyEdges, findCycles, startOrder } from './dependencyGraph';
export { bindAttributes, referencedServices, resolveValue, templateText, type PublishedAttributes, type Resolved } from './references/resolveValue';
export { parseValue } from './references/parseValue';
export { isComposeText, loadBlueprintOrCompose } from './loadAny';
