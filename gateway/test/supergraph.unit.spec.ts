import * as fs from 'node:fs';
import * as path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import {
  Kind,
  parse,
  printType,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  type TypeNode,
  isEnumType,
  isInputObjectType,
  isObjectType,
  print,
} from 'graphql';
import { composeSupergraph, readSubgraphs } from '../src/supergraph';

const ROOT = path.resolve(__dirname, '..', '..');
const CONTRACT = path.join(ROOT, 'gateway', 'contract', 'api-outline.graphql');
const SHARED_CONTRACT = path.join(ROOT, '..', 'shared', 'docs', 'api-outline.graphql');

/** The part of the contract between two section banners, parsed. */
function section(sdl: string, from: string, to: string): DocumentNode {
  const start = sdl.indexOf(from);
  const end = sdl.indexOf(to, start + 1);
  if (start < 0 || end < 0) throw new Error(`section ${from} not found in the contract`);
  return parse(sdl.slice(start, end));
}

const typeString = (t: TypeNode): string => print(t);

describe('the composed supergraph', () => {
  let api: GraphQLSchema;

  beforeAll(() => {
    const sdl = composeSupergraph(readSubgraphs(ROOT));
    api = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
  });

  it('composes without errors from every subgraph that has SDL', () => {
    expect(readSubgraphs(ROOT).map((s) => s.name)).toContain('campaigns');
  });

  describe('against the contract (api-outline.graphql, campaigns and shared sections)', () => {
    const contract = fs.readFileSync(CONTRACT, 'utf8');
    const docs = [
      section(contract, '# ---------- shared shapes', '# ---------- campaigns subgraph'),
      section(contract, '# ---------- campaigns subgraph', '# ---------- training subgraph'),
    ];
    const definitions = docs.flatMap((d) => d.definitions);

    it('keeps the vendored contract identical to shared/docs when that copy is at hand', () => {
      if (!fs.existsSync(SHARED_CONTRACT)) return;
      expect(contract).toBe(fs.readFileSync(SHARED_CONTRACT, 'utf8'));
    });

    for (const def of definitions) {
      if (
        def.kind === Kind.OBJECT_TYPE_DEFINITION ||
        def.kind === Kind.OBJECT_TYPE_EXTENSION ||
        def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION
      ) {
        const name = def.name.value;
        it(`has ${name} with every field, argument and type as written`, () => {
          const type = api.getType(name);
          expect(type).toBeDefined();
          for (const field of def.fields ?? []) {
            if (isObjectType(type)) {
              const f = type.getFields()[field.name.value] as GraphQLField<unknown, unknown> | undefined;
              expect({ field: `${name}.${field.name.value}`, type: f ? String(f.type) : 'missing' }).toEqual({
                field: `${name}.${field.name.value}`,
                type: typeString(field.type),
              });
              if (field.kind === Kind.FIELD_DEFINITION) {
                for (const arg of field.arguments ?? []) {
                  const a = f!.args.find((x) => x.name === arg.name.value);
                  expect({ arg: `${name}.${field.name.value}(${arg.name.value})`, type: a ? String(a.type) : 'missing' }).toEqual({
                    arg: `${name}.${field.name.value}(${arg.name.value})`,
                    type: typeString(arg.type),
                  });
                }
              }
            } else if (isInputObjectType(type)) {
              const f = type.getFields()[field.name.value];
              expect({ field: `${name}.${field.name.value}`, type: f ? String(f.type) : 'missing' }).toEqual({
                field: `${name}.${field.name.value}`,
                type: typeString(field.type),
              });
            } else {
              throw new Error(`${name} is not an object or input type in the supergraph: ${type ? printType(type) : 'missing'}`);
            }
          }
        });
      }
      if (def.kind === Kind.ENUM_TYPE_DEFINITION) {
        const name = def.name.value;
        it(`has enum ${name} with every value`, () => {
          const type = api.getType(name);
          expect(isEnumType(type)).toBe(true);
          const values = new Set((isEnumType(type) ? type.getValues() : []).map((v) => v.name));
          for (const v of def.values ?? []) expect(values).toContain(v.name.value);
        });
      }
      if (def.kind === Kind.SCALAR_TYPE_DEFINITION) {
        it(`has scalar ${def.name.value}`, () => expect(api.getType(def.name.value)).toBeDefined());
      }
    }

    it('serves every campaigns query and mutation of the contract', () => {
      const ops = definitions.filter((d) => d.kind === Kind.OBJECT_TYPE_EXTENSION && ['Query', 'Mutation'].includes(d.name.value));
      const names = ops.flatMap((d) =>
        d.kind === Kind.OBJECT_TYPE_EXTENSION ? (d.fields ?? []).map((f) => `${d.name.value}.${f.name.value}`) : [],
      );
      expect(names).toEqual(
        expect.arrayContaining([
          'Query.campaign',
          'Query.campaigns',
          'Mutation.createCampaign',
          'Mutation.planCampaign',
          'Mutation.launchCampaign',
          'Mutation.scheduleActivity',
          'Mutation.recordActivityHeld',
          'Mutation.cancelActivity',
          'Mutation.completeCampaign',
          'Mutation.cancelCampaign',
        ]),
      );
      for (const n of names) {
        const [root, field] = n.split('.') as ['Query' | 'Mutation', string];
        const t = root === 'Query' ? api.getQueryType() : api.getMutationType();
        expect({ op: n, present: Boolean(t?.getFields()[field]) }).toEqual({ op: n, present: true });
      }
    });
  });

  it('fails to compose when a subgraph breaks federation rules (the build step fails)', () => {
    const [campaigns] = readSubgraphs(ROOT);
    const broken = { ...campaigns, name: 'broken', typeDefs: `${campaigns.typeDefs}\ntype Campaign @key(fields: "nope") { id: ID! }` };
    expect(() => composeSupergraph([broken])).toThrow(/composition failed/);
  });
});
