import { join } from 'node:path';
import type { CommandMetadata } from '@hrp/domain-kit';
import { expectRegistryToMatchSnapshot } from '@hrp/testing';
import type { DossierCommand } from './dossier.decider';
import { dossierDecider } from './dossier.decider';
import type { DossierEvent, DossierState } from './dossier.events';
import { DOSSIER_EVENT_TYPES } from './dossier.events';
import { ADVOCACY_CONTEXT, dossierEventDefinitions, dossierEventRegistry } from './dossier.registry';

const SNAPSHOT_FILE = join(__dirname, 'dossier.registry.snapshot.json');
const UPDATE =
  'after adding a version or an event type, run HRP_SKIP_INFRA=1 HRP_UPDATE_SCHEMA_SNAPSHOT=1 npx jest services/advocacy/src/dossier/dossier.registry and commit this file.';

// ---------- a whole life, through decide, to check what it writes ----------

const on = { dossierId: 'dossier-8a4e' };
const rec = { recommendationId: 'recommendation-1f2e' };
const eng = { engagementId: 'engagement-3d4c' };
const meta = (): CommandMetadata => ({
  now: '2025-03-01T09:00:00.000Z',
  actor: { subject: 'kc-1', username: 'advocacy-officer' },
  correlationId: 'c-1',
});

function run(commands: Array<Pick<DossierCommand, 'type' | 'data'>>): DossierEvent[] {
  let state: DossierState = dossierDecider.initialState();
  const written: DossierEvent[] = [];
  for (const command of commands) {
    const events = dossierDecider.decide({ ...command, metadata: meta() } as DossierCommand, state);
    state = events.reduce(dossierDecider.evolve, state);
    written.push(...events);
  }
  return written;
}

const wholeLife = (): DossierEvent[] =>
  run([
    {
      type: 'OpenDossier',
      data: {
        ...on,
        topic: { fr: 'Prévention de la torture', ar: 'الوقاية من التعذيب', en: 'Prevention of torture', zgh: 'ⴰⵙⵙⵓⵔⵙ' },
        target: 'GOVERNMENT',
        instruments: ['CAT'],
        themes: ['Privation de liberté'],
        objective: { fr: 'Mécanisme national de prévention doté de moyens' },
        tags: [{ kind: 'SDG_TARGET', ref: '16.a' }],
      },
    },
    {
      type: 'IssueRecommendation',
      data: {
        ...on,
        ...rec,
        text: { fr: 'Doter le mécanisme national de prévention d’un budget propre' },
        addressee: 'Chef du gouvernement',
        source: 'ANNUAL_REPORT',
        issuedOn: '2025-01-20',
        tags: [{ kind: 'TREATY_BODY_OBSERVATION', ref: 'CAT/C/MAR/CO/5 para. 9' }],
      },
    },
    {
      type: 'ChangeRecommendationStatus',
      data: { ...on, ...rec, status: 'PARTIALLY_ADOPTED', evidence: { reference: 'Loi de finances 2025, art. 12', date: '2025-02-15' } },
    },
    {
      type: 'LogEngagement',
      data: { ...on, ...eng, kind: 'MEETING', date: '2025-02-01', stakeholders: ['Ministère de l’Économie et des Finances'] },
    },
    { type: 'RecordEngagementOutcome', data: { ...on, ...eng, outcome: 'Engagement à inscrire une ligne budgétaire' } },
    { type: 'CloseDossier', data: { ...on, outcome: 'Budget propre partiellement obtenu' } },
  ]);

describe('Dossier event registry', () => {
  describe('the registered types', () => {
    it('are exactly the events of the stream, each at schema version 1, in the advocacy context', () => {
      expect(ADVOCACY_CONTEXT).toBe('advocacy');
      expect(dossierEventRegistry.context).toBe('advocacy');
      expect(dossierEventRegistry.types()).toEqual([...DOSSIER_EVENT_TYPES]);
      expect(dossierEventDefinitions.map((d) => d.type)).toEqual([...DOSSIER_EVENT_TYPES]);
      for (const type of DOSSIER_EVENT_TYPES) expect(dossierEventRegistry.currentVersion(type)).toBe(1);
    });
  });

  describe('when a whole dossier life runs through decide', () => {
    const events = wholeLife();

    it('writes every event type', () => {
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(DOSSIER_EVENT_TYPES));
    });

    it('writes only data that matches the current schemas, and is plain JSON', () => {
      for (const event of events) {
        expect({ type: event.type, issues: dossierEventRegistry.issues(event.type, event.data) }).toEqual({ type: event.type, issues: [] });
        expect(JSON.parse(JSON.stringify(event.data))).toEqual(event.data);
      }
    });
  });

  describe('when data breaks a schema', () => {
    it('refuses ISSUED as the new status, an evidence without date, and a recommendation id that is not one', () => {
      const changed = wholeLife().find((e) => e.type === 'RecommendationStatusChanged');
      const data = { ...changed?.data, recommendationId: 'engagement-1', to: 'ISSUED', evidence: { reference: 'BO' } };
      expect(dossierEventRegistry.issues('RecommendationStatusChanged', data)).toHaveLength(3);
    });

    it('refuses an engagement without stakeholder, and an unknown target', () => {
      const [opened, , , logged] = wholeLife();
      expect(dossierEventRegistry.issues('EngagementLogged', { ...logged.data, stakeholders: [] })).toHaveLength(1);
      expect(dossierEventRegistry.issues('DossierOpened', { ...opened.data, target: 'PRESS' })).toHaveLength(1);
    });
  });

  // The schema-change guard of libs/contracts, applied to this aggregate's event schemas.
  describe('the committed snapshot', () => {
    it('matches every registered event schema', () => {
      expectRegistryToMatchSnapshot(SNAPSHOT_FILE, [dossierEventRegistry], UPDATE);
    });
  });
});
