import type { CommandMetadata } from '@hrp/domain-kit';
import { DeciderSpecification, IllegalStateError, NotFoundError, ValidationError } from '@hrp/domain-kit';
import type { CreateTrainingModule, TrainingModuleCommand } from './module.decider';
import { ModuleRules, trainingModuleDecider } from './module.decider';
import type { TrainingModuleCreated, TrainingModuleEvent } from './module.events';

// ---------- fixtures ----------

const MODULE_ID = 'module-5c1e9a20-7b3d-4f6e-8a9b-0c1d2e3f4a5b';
const TITLE = { fr: 'Droits de l’enfant et justice juvénile', ar: 'حقوق الطفل وعدالة الأحداث' };
const NOW = '2025-02-01T09:00:00.000Z';

const meta = (): CommandMetadata => ({
  now: NOW,
  actor: { subject: 'kc-training-coordinator', username: 'training-coordinator' },
  correlationId: 'corr-1',
});

const spec = DeciderSpecification.for(trainingModuleDecider);

const create = (data: Partial<CreateTrainingModule['data']> = {}): CreateTrainingModule => ({
  type: 'CreateTrainingModule',
  data: { moduleId: MODULE_ID, title: TITLE, professions: ['JUDICIARY', 'SOCIAL_WORKER'], instruments: ['CRC'], hours: 12, ...data },
  metadata: meta(),
});
const publish = (): TrainingModuleCommand => ({ type: 'PublishTrainingModule', data: { moduleId: MODULE_ID }, metadata: meta() });
const retire = (): TrainingModuleCommand => ({ type: 'RetireTrainingModule', data: { moduleId: MODULE_ID }, metadata: meta() });

const created = (data: Partial<TrainingModuleCreated['data']> = {}): TrainingModuleCreated => ({
  type: 'TrainingModuleCreated',
  data: {
    moduleId: MODULE_ID,
    title: TITLE,
    professions: ['JUDICIARY', 'SOCIAL_WORKER'],
    instruments: ['CRC'],
    hours: 12,
    tags: [],
    ...data,
  },
});
const published: TrainingModuleEvent = { type: 'TrainingModulePublished', data: { moduleId: MODULE_ID } };
const retired: TrainingModuleEvent = { type: 'TrainingModuleRetired', data: { moduleId: MODULE_ID } };

const ruleOf = (rule: string) => ({ rule, code: 'DOMAIN_RULE_VIOLATION' });

describe('Training module', () => {
  describe('when the stream is new', () => {
    it('creates a draft module, with absent optional fields left out and tags filled in', () => {
      spec.given([]).when(create()).then([created()]);
    });

    it('creates a module with every field, trimmed', () => {
      spec
        .when(
          create({
            objectives: { fr: 'Connaître la CIDE', en: 'Know the CRC', ar: null },
            instruments: [' CRC ', 'Constitution 2011'],
            tags: [{ kind: 'SDG_TARGET', ref: ' 16.2 ' }],
            hours: 1000,
          }),
        )
        .then([
          created({
            objectives: { fr: 'Connaître la CIDE', en: 'Know the CRC' },
            instruments: ['CRC', 'Constitution 2011'],
            tags: [{ kind: 'SDG_TARGET', ref: '16.2' }],
            hours: 1000,
          }),
        ]);
    });

    it('treats null optional inputs as absent, and accepts no instrument', () => {
      spec.when(create({ objectives: null, tags: null, instruments: [], hours: 1 })).then([created({ instruments: [], hours: 1 })]);
    });

    const invalid: Array<[string, Partial<CreateTrainingModule['data']>, string]> = [
      ['a module id without the module- prefix', { moduleId: '5c1e9a20' }, 'moduleId'],
      ['a blank French title', { title: { fr: ' ' } }, 'title.fr'],
      ['a title longer than 300 characters', { title: { fr: 'é'.repeat(301) } }, 'title.fr'],
      ['objectives without French', { objectives: { fr: '' } }, 'objectives.fr'],
      ['no profession', { professions: [] }, 'professions'],
      ['an unknown profession', { professions: ['ASTRONAUT' as never] }, 'professions'],
      ['a duplicate profession', { professions: ['TEACHER', 'TEACHER'] }, 'professions'],
      ['a blank instrument', { instruments: ['CRC', '  '] }, 'instruments'],
      ['a duplicate instrument', { instruments: ['CRC', ' CRC'] }, 'instruments'],
      ['more than 30 instruments', { instruments: Array.from({ length: 31 }, (_, i) => `I-${i}`) }, 'instruments'],
      ['an instrument longer than 100 characters', { instruments: ['x'.repeat(101)] }, 'instruments'],
      ['zero hours', { hours: 0 }, 'hours'],
      ['more than 1000 hours', { hours: 1001 }, 'hours'],
      ['fractional hours', { hours: 1.5 }, 'hours'],
      ['a tag of unknown kind', { tags: [{ kind: 'HASHTAG' as never, ref: 'x' }] }, 'tags'],
      [
        'a duplicate tag',
        {
          tags: [
            { kind: 'INSTRUMENT', ref: 'CRC' },
            { kind: 'INSTRUMENT', ref: 'CRC' },
          ],
        },
        'tags',
      ],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.when(create(data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    it.each([
      ['PublishTrainingModule', publish()],
      ['RetireTrainingModule', retire()],
    ])('refuses %s as NOT_FOUND', (_name, command) => {
      spec.given([]).when(command).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });
  });

  describe('when created (draft)', () => {
    it('refuses a second creation', () => {
      spec.given([created()]).when(create()).thenThrows(IllegalStateError, ruleOf(ModuleRules.createAlreadyExists));
    });

    it('is published', () => {
      spec.given([created()]).when(publish()).then([published]);
    });

    it('refuses retirement: nothing was offered yet', () => {
      spec.given([created()]).when(retire()).thenThrows(IllegalStateError, ruleOf(ModuleRules.retireRequiresPublished));
    });
  });

  describe('when published', () => {
    it('ignores a second publication', () => {
      spec.given([created(), published]).when(publish()).thenNothingHappened();
    });

    it('is retired', () => {
      spec.given([created(), published]).when(retire()).then([retired]);
    });

    it('still refuses a second creation', () => {
      spec.given([created(), published]).when(create()).thenThrows(IllegalStateError, ruleOf(ModuleRules.createAlreadyExists));
    });
  });

  describe('when retired', () => {
    it('ignores a second retirement', () => {
      spec.given([created(), published, retired]).when(retire()).thenNothingHappened();
    });

    it('is never published again', () => {
      spec.given([created(), published, retired]).when(publish()).thenThrows(IllegalStateError, ruleOf(ModuleRules.publishRequiresDraft));
    });
  });
});
