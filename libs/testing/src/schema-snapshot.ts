import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { checkSchemaSnapshot, type EventRegistry, type SchemaSnapshot, updateSchemaSnapshot } from '@hrp/contracts';

/**
 * The schema-change guard for a context's registry: every (type, version) schema must match the
 * fingerprint committed in `file`; a published schema never changes in place (a change is a new
 * version with an upcaster). With HRP_UPDATE_SCHEMA_SNAPSHOT=1 new versions and types are added
 * to the file first (`force` also rewrites changed ones — only for unpublished schemas).
 */
export function expectRegistryToMatchSnapshot(file: string, registries: readonly EventRegistry[], howToUpdate: string): void {
  const mode = process.env.HRP_UPDATE_SCHEMA_SNAPSHOT;
  const committed: SchemaSnapshot = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SchemaSnapshot) : { fingerprints: {} };
  let fingerprints = committed.fingerprints;
  if (mode === '1' || mode === 'force') {
    fingerprints = updateSchemaSnapshot(fingerprints, registries, { force: mode === 'force' });
    const $comment = `Fingerprints of every event schema version (sha256 of canonical JSON). Never edit by hand: ${howToUpdate}`;
    writeFileSync(file, `${JSON.stringify({ $comment, fingerprints }, null, 2)}\n`);
  }
  const violations = checkSchemaSnapshot(fingerprints, registries);
  if (violations.length > 0) throw new Error(`Event schemas differ from ${file}:\n- ${violations.map((v) => v.message).join('\n- ')}`);
}
