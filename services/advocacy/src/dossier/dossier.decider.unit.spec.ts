import type { CommandMetadata } from '@hrp/domain-kit';
import { DeciderSpecification, IllegalStateError, NotFoundError, ValidationError } from '@hrp/domain-kit';
import type { ChangeRecommendationStatus, DossierCommand, IssueRecommendation, LogEngagement, OpenDossier } from './dossier.decider';
import { DossierLimits, DossierRules, dossierDecider } from './dossier.decider';
import type { ChangeStatus, DossierEvent, DossierOpened, Evidence, RecommendationIssued, RecommendationStatus } from './dossier.events';
import { DOSSIER_ID_PREFIX, dossierStreamId, engagementIdFrom, recommendationIdFrom } from './dossier.events';

// ---------- fixtures ----------

const DOSSIER_ID = dossierStreamId('5e0c2b9a-1d4f-4a7e-8b6c-9d0e1f2a3b4c');
const REC = recommendationIdFrom('a1b2c3d4');
const OTHER_REC = recommendationIdFrom('e5f6a7b8');
const ENG = engagementIdFrom('c9d0e1f2');
const NOW = '2025-03-01T09:00:00.000Z';
const LATER = '2025-09-15T14:00:00.000Z';
const TOPIC = { fr: 'Abolition de la peine de mort', en: 'Abolition of the death penalty' };
const OBJECTIVE = { fr: 'Ratification du deuxième protocole facultatif au PIDCP' };
const TEXT = { fr: 'Ratifier le deuxième protocole facultatif se rapportant au Pacte', ar: 'المصادقة على البروتوكول الاختياري الثاني' };
const JUSTICE = 'Ministère de la Justice';
const ISSUED_ON = '2025-01-15';
const on = { dossierId: DOSSIER_ID };

const meta = (now = NOW): CommandMetadata => ({
  now,
  actor: { subject: 'kc-advocacy-officer', username: 'advocacy-officer' },
  correlationId: 'corr-1',
});
const spec = DeciderSpecification.for(dossierDecider);

// commands

const open = (data: Partial<OpenDossier['data']> = {}): OpenDossier => ({
  type: 'OpenDossier',
  data: {
    ...on,
    topic: TOPIC,
    target: 'PARLIAMENT',
    instruments: ['ICCPR', 'Constitution (2011)'],
    themes: ['Droit à la vie'],
    objective: OBJECTIVE,
    tags: [{ kind: 'UPR_RECOMMENDATION', ref: 'A/HRC/52/7 para. 37.12' }],
    ...data,
  },
  metadata: meta(),
});
const issue = (data: Partial<IssueRecommendation['data']> = {}, now = NOW): IssueRecommendation => ({
  type: 'IssueRecommendation',
  data: { ...on, recommendationId: REC, text: TEXT, addressee: JUSTICE, source: 'UPR_CYCLE', issuedOn: ISSUED_ON, ...data },
  metadata: meta(now),
});
const evidence = (date: string, reference = `Lettre du ${date}`): Evidence => ({ reference, date });
const change = (status: ChangeStatus, ev: Evidence, recommendationId = REC, now = NOW): ChangeRecommendationStatus => ({
  type: 'ChangeRecommendationStatus',
  data: { ...on, recommendationId, status, evidence: ev },
  metadata: meta(now),
});
const log = (data: Partial<LogEngagement['data']> = {}): LogEngagement => ({
  type: 'LogEngagement',
  data: {
    ...on,
    engagementId: ENG,
    kind: 'HEARING',
    date: '2025-02-20',
    stakeholders: ['Commission de la justice et de la législation'],
    ...data,
  },
  metadata: meta(),
});
const recordOutcome = (outcome: string, engagementId = ENG): DossierCommand => ({
  type: 'RecordEngagementOutcome',
  data: { ...on, engagementId, outcome },
  metadata: meta(),
});
const close = (outcome = 'Protocole ratifié', now = NOW): DossierCommand => ({
  type: 'CloseDossier',
  data: { ...on, outcome },
  metadata: meta(now),
});

// events

const opened = (data: Partial<DossierOpened['data']> = {}): DossierOpened => ({
  type: 'DossierOpened',
  data: {
    ...on,
    topic: TOPIC,
    target: 'PARLIAMENT',
    instruments: ['ICCPR', 'Constitution (2011)'],
    themes: ['Droit à la vie'],
    objective: OBJECTIVE,
    tags: [{ kind: 'UPR_RECOMMENDATION', ref: 'A/HRC/52/7 para. 37.12' }],
    openedAt: NOW,
    ...data,
  },
});
const issued = (data: Partial<RecommendationIssued['data']> = {}): RecommendationIssued => ({
  type: 'RecommendationIssued',
  data: {
    ...on,
    recommendationId: REC,
    text: TEXT,
    addressee: JUSTICE,
    source: 'UPR_CYCLE',
    issuedOn: ISSUED_ON,
    tags: [],
    recordedAt: NOW,
    ...data,
  },
});
const changed = (from: RecommendationStatus, to: ChangeStatus, ev: Evidence, recommendationId = REC, recordedAt = NOW): DossierEvent => ({
  type: 'RecommendationStatusChanged',
  data: { ...on, recommendationId, from, to, evidence: ev, recordedAt },
});
const logged: DossierEvent = {
  type: 'EngagementLogged',
  data: { ...on, engagementId: ENG, kind: 'HEARING', date: '2025-02-20', stakeholders: ['Commission de la justice et de la législation'] },
};
const outcomeRecorded = (outcome: string): DossierEvent => ({
  type: 'EngagementOutcomeRecorded',
  data: { ...on, engagementId: ENG, outcome },
});
const closed: DossierEvent = { type: 'DossierClosed', data: { ...on, outcome: 'Protocole ratifié', closedAt: NOW } };

const ruleOf = (rule: string) => ({ rule, code: 'DOMAIN_RULE_VIOLATION' });

const ACK = evidence('2025-02-01', 'Note verbale n° 2025/114');
const CONSIDERING = evidence('2025-02-10', 'Compte rendu de la commission, séance du 10 février');
const ADOPTION = evidence('2025-02-25', 'Bulletin officiel n° 7380');

describe('Advocacy dossier', () => {
  describe('when the stream is new', () => {
    it('opens a dossier with its topic, target, instruments, themes, objective and tags', () => {
      spec.given([]).when(open()).then([opened()]);
    });

    it('opens a dossier without objective, instruments nor tags, trimming what is given', () => {
      const { objective: _objective, ...data } = opened({ instruments: [], tags: [] }).data;
      spec
        .when(open({ objective: null, instruments: null, themes: [' Droit à la vie '], tags: null }))
        .then([{ type: 'DossierOpened', data }]);
    });

    const invalid: Array<[string, Partial<OpenDossier['data']>, string]> = [
      ['a dossier id without the dossier- prefix', { dossierId: '5e0c' }, 'dossierId'],
      ['a dossier id with a slash', { dossierId: `${DOSSIER_ID_PREFIX}a/b` }, 'dossierId'],
      ['a blank French topic', { topic: { fr: ' ' } }, 'topic.fr'],
      ['a topic longer than 300 characters', { topic: { fr: 'x'.repeat(301) } }, 'topic.fr'],
      ['an unknown target', { target: 'PRESS' as never }, 'target'],
      ['an objective without French', { objective: { fr: '', en: 'Objective' } }, 'objective.fr'],
      ['a blank instrument', { instruments: [' '] }, 'instruments'],
      ['an instrument twice', { instruments: ['CAT', ' CAT'] }, 'instruments'],
      ['a theme longer than 100 characters', { themes: ['x'.repeat(101)] }, 'themes'],
      ['more than 20 themes', { themes: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'themes'],
      ['a tag of an unknown kind', { tags: [{ kind: 'LAW' as never, ref: '1' }] }, 'tags'],
      [
        'a duplicate tag',
        {
          tags: [
            { kind: 'SDG_TARGET', ref: '16.10' },
            { kind: 'SDG_TARGET', ref: '16.10 ' },
          ],
        },
        'tags',
      ],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.when(open(data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    it.each([
      ['IssueRecommendation', issue()],
      ['ChangeRecommendationStatus', change('ACKNOWLEDGED', ACK)],
      ['LogEngagement', log()],
      ['RecordEngagementOutcome', recordOutcome('Suivi')],
      ['CloseDossier', close()],
    ])('refuses %s as NOT_FOUND', (_name, command) => {
      spec.given([]).when(command).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });
  });

  describe('when open', () => {
    it('refuses a second opening', () => {
      spec.given([opened()]).when(open()).thenThrows(IllegalStateError, ruleOf(DossierRules.openAlreadyExists));
    });

    it('is closed with its outcome, trimmed, even with recommendations still awaiting an answer', () => {
      spec.given([opened()]).when(close(' Protocole ratifié ')).then([closed]);
      spec
        .given([opened(), issued(), changed('ISSUED', 'UNDER_CONSIDERATION', CONSIDERING)])
        .when(close())
        .then([closed]);
    });

    it('refuses a closing without an outcome, naming the field', () => {
      const error = spec.given([opened()]).when(close('  ')).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe('outcome');
    });
  });

  describe('issuing a recommendation', () => {
    it('issues it, ISSUED, with its tags trimmed', () => {
      spec
        .given([opened()])
        .when(issue({ addressee: ` ${JUSTICE} `, tags: [{ kind: 'TREATY_BODY_OBSERVATION', ref: ' CCPR/C/MAR/CO/6 para. 12 ' }] }))
        .then([issued({ tags: [{ kind: 'TREATY_BODY_OBSERVATION', ref: 'CCPR/C/MAR/CO/6 para. 12' }] })]);
    });

    it('accepts an issue date of today, and a second recommendation', () => {
      spec
        .given([opened(), issued()])
        .when(issue({ recommendationId: OTHER_REC, issuedOn: '2025-03-01', source: 'INSTITUTION_OPINION' }))
        .then([issued({ recommendationId: OTHER_REC, issuedOn: '2025-03-01', source: 'INSTITUTION_OPINION' })]);
    });

    it('ignores the same recommendation sent again, and treats a reused id with other content as an adapter bug', () => {
      spec.given([opened(), issued()]).when(issue()).thenNothingHappened();
      spec
        .given([opened(), issued()])
        .when(issue({ addressee: 'Chef du gouvernement' }))
        .thenThrows(Error, { message: /already used/ });
    });

    const invalid: Array<[string, Partial<IssueRecommendation['data']>, string]> = [
      ['a recommendation id without the recommendation- prefix', { recommendationId: 'a1b2' }, 'recommendationId'],
      ['a text without French', { text: { fr: '', ar: 'نص' } }, 'text.fr'],
      ['a text longer than 4000 characters', { text: { fr: 'x'.repeat(4001) } }, 'text.fr'],
      ['a blank addressee', { addressee: ' ' }, 'addressee'],
      ['an unknown source', { source: 'PRESS_RELEASE' as never }, 'source'],
      ['an issue date that does not exist', { issuedOn: '2025-02-30' }, 'issuedOn'],
      ['an issue date in the future', { issuedOn: '2025-03-02' }, 'issuedOn'],
      ['a tag without ref', { tags: [{ kind: 'SDG_TARGET', ref: ' ' }] }, 'tags'],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.given([opened()]).when(issue(data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    it(`refuses more than ${DossierLimits.maxRecommendations} recommendations in one dossier`, () => {
      const many = Array.from({ length: DossierLimits.maxRecommendations }, (_, i) =>
        issued({ recommendationId: recommendationIdFrom(`n${i}`) }),
      );
      const error = spec
        .given([opened(), ...many])
        .when(issue())
        .thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe('recommendationId');
    });
  });

  describe('changing the status of a recommendation', () => {
    const given = [opened(), issued()];

    it('goes step by step, ISSUED -> ACKNOWLEDGED -> UNDER_CONSIDERATION -> ADOPTED, each with its evidence', () => {
      spec
        .given(given)
        .when(change('ACKNOWLEDGED', { reference: ' Note verbale n° 2025/114 ', date: '2025-02-01' }))
        .then([changed('ISSUED', 'ACKNOWLEDGED', ACK)]);
      spec
        .given([...given, changed('ISSUED', 'ACKNOWLEDGED', ACK)])
        .when(change('UNDER_CONSIDERATION', CONSIDERING))
        .then([changed('ACKNOWLEDGED', 'UNDER_CONSIDERATION', CONSIDERING)]);
      spec
        .given([...given, changed('ISSUED', 'ACKNOWLEDGED', ACK), changed('ACKNOWLEDGED', 'UNDER_CONSIDERATION', CONSIDERING)])
        .when(change('ADOPTED', ADOPTION))
        .then([changed('UNDER_CONSIDERATION', 'ADOPTED', ADOPTION)]);
    });

    it.each<[RecommendationStatus, ChangeStatus]>([
      ['ISSUED', 'UNDER_CONSIDERATION'],
      ['ISSUED', 'ADOPTED'],
      ['ISSUED', 'PARTIALLY_ADOPTED'],
      ['ISSUED', 'REJECTED'],
      ['ACKNOWLEDGED', 'REJECTED'],
      ['ACKNOWLEDGED', 'PARTIALLY_ADOPTED'],
    ])('skips steps forward: %s -> %s', (from, to) => {
      const history = from === 'ISSUED' ? given : [...given, changed('ISSUED', from, ACK)];
      spec
        .given(history)
        .when(change(to, ADOPTION))
        .then([changed(from, to, ADOPTION)]);
    });

    it('accepts evidence dated on the issue date, and on the same day as the previous one', () => {
      spec
        .given(given)
        .when(change('ACKNOWLEDGED', evidence(ISSUED_ON)))
        .then([changed('ISSUED', 'ACKNOWLEDGED', evidence(ISSUED_ON))]);
      spec
        .given([...given, changed('ISSUED', 'ACKNOWLEDGED', ACK)])
        .when(change('REJECTED', evidence(ACK.date)))
        .then([changed('ACKNOWLEDGED', 'REJECTED', evidence(ACK.date))]);
    });

    it('changes one recommendation and leaves the others as they are', () => {
      const two = [...given, issued({ recommendationId: OTHER_REC }), changed('ISSUED', 'ADOPTED', ADOPTION)];
      spec
        .given(two)
        .when(change('ACKNOWLEDGED', ACK, OTHER_REC))
        .then([changed('ISSUED', 'ACKNOWLEDGED', ACK, OTHER_REC)]);
    });

    it('ignores the same status with the same evidence sent again', () => {
      spec
        .given([...given, changed('ISSUED', 'ACKNOWLEDGED', ACK)])
        .when(change('ACKNOWLEDGED', ACK, REC, LATER))
        .thenNothingHappened();
      spec
        .given([...given, changed('ISSUED', 'ADOPTED', ADOPTION)])
        .when(change('ADOPTED', { ...ADOPTION, reference: ` ${ADOPTION.reference} ` }))
        .thenNothingHappened();
    });

    it('refuses the same status with other evidence', () => {
      spec
        .given([...given, changed('ISSUED', 'ACKNOWLEDGED', ACK)])
        .when(change('ACKNOWLEDGED', evidence('2025-02-02')))
        .thenThrows(IllegalStateError, ruleOf(DossierRules.statusAlreadyRecorded));
      spec
        .given([...given, changed('ISSUED', 'REJECTED', ADOPTION)])
        .when(change('REJECTED', { ...ADOPTION, reference: 'Autre lettre' }))
        .thenThrows(IllegalStateError, ruleOf(DossierRules.statusAlreadyRecorded));
    });

    it('refuses going back, from UNDER_CONSIDERATION to ACKNOWLEDGED', () => {
      spec
        .given([...given, changed('ISSUED', 'UNDER_CONSIDERATION', CONSIDERING)])
        .when(change('ACKNOWLEDGED', ADOPTION))
        .thenThrows(IllegalStateError, ruleOf(DossierRules.statusBackwards));
    });

    it.each<[ChangeStatus, ChangeStatus]>([
      ['ADOPTED', 'REJECTED'],
      ['ADOPTED', 'PARTIALLY_ADOPTED'],
      ['REJECTED', 'ADOPTED'],
      ['PARTIALLY_ADOPTED', 'ADOPTED'],
      ['REJECTED', 'UNDER_CONSIDERATION'],
      ['ADOPTED', 'ACKNOWLEDGED'],
    ])('refuses any change of a decided recommendation: %s -> %s', (decided, to) => {
      spec
        .given([...given, changed('ISSUED', decided, ACK)])
        .when(change(to, ADOPTION))
        .thenThrows(IllegalStateError, ruleOf(DossierRules.statusDecided));
    });

    it('refuses evidence dated before the issue of the recommendation', () => {
      spec
        .given(given)
        .when(change('ACKNOWLEDGED', evidence('2025-01-14')))
        .thenThrows(IllegalStateError, ruleOf(DossierRules.evidenceBeforeIssue));
    });

    it('refuses evidence dated before the evidence of the previous change', () => {
      spec
        .given([...given, changed('ISSUED', 'UNDER_CONSIDERATION', CONSIDERING)])
        .when(change('ADOPTED', evidence('2025-02-09')))
        .thenThrows(IllegalStateError, ruleOf(DossierRules.evidenceBeforePrevious));
    });

    it('refuses an unknown recommendation as NOT_FOUND', () => {
      spec
        .given(given)
        .when(change('ACKNOWLEDGED', ACK, OTHER_REC))
        .thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });

    const invalid: Array<[string, Partial<ChangeRecommendationStatus['data']>, string]> = [
      ['ISSUED as a new status', { status: 'ISSUED' as never }, 'status'],
      ['an unknown status', { status: 'IMPLEMENTED' as never }, 'status'],
      ['no evidence', { evidence: null as never }, 'evidence'],
      ['a blank document reference', { evidence: { reference: ' ', date: '2025-02-01' } }, 'evidence.reference'],
      ['a reference longer than 300 characters', { evidence: { reference: 'x'.repeat(301), date: '2025-02-01' } }, 'evidence.reference'],
      ['an evidence date that is not a date', { evidence: { reference: 'BO', date: '1er février' } }, 'evidence.date'],
      ['an evidence date in the future', { evidence: { reference: 'BO', date: '2025-03-02' } }, 'evidence.date'],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const command = change('ACKNOWLEDGED', ACK);
      const error = spec
        .given(given)
        .when({ ...command, data: { ...command.data, ...data } })
        .thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    it('keeps the history in order in the state: the issue first, then each change with its evidence and time', () => {
      const state = [
        ...given,
        changed('ISSUED', 'ACKNOWLEDGED', ACK),
        changed('ACKNOWLEDGED', 'PARTIALLY_ADOPTED', ADOPTION, REC, LATER),
      ].reduce(dossierDecider.evolve, dossierDecider.initialState());
      expect(state).toMatchObject({
        recommendations: [
          {
            id: REC,
            status: 'PARTIALLY_ADOPTED',
            history: [
              { status: 'ISSUED', recordedAt: NOW },
              { status: 'ACKNOWLEDGED', from: 'ISSUED', evidence: ACK, recordedAt: NOW },
              { status: 'PARTIALLY_ADOPTED', from: 'ACKNOWLEDGED', evidence: ADOPTION, recordedAt: LATER },
            ],
          },
        ],
      });
    });
  });

  describe('logging an engagement', () => {
    it('logs a hearing with its stakeholders, trimmed, without outcome', () => {
      spec
        .given([opened()])
        .when(log({ stakeholders: [' Commission de la justice et de la législation '], outcome: null }))
        .then([logged]);
    });

    it('logs a memorandum submitted, with its outcome', () => {
      spec
        .given([opened()])
        .when(log({ kind: 'MEMORANDUM', stakeholders: ['Chef du gouvernement', 'CNDH'], outcome: ' Accusé de réception ' }))
        .then([
          {
            type: 'EngagementLogged',
            data: {
              ...on,
              engagementId: ENG,
              kind: 'MEMORANDUM',
              date: '2025-02-20',
              stakeholders: ['Chef du gouvernement', 'CNDH'],
              outcome: 'Accusé de réception',
            },
          },
        ]);
    });

    it('ignores the same engagement sent again, and treats a reused id with other content as an adapter bug', () => {
      spec.given([opened(), logged]).when(log()).thenNothingHappened();
      spec
        .given([opened(), logged])
        .when(log({ kind: 'MEETING' }))
        .thenThrows(Error, { message: /already used/ });
    });

    const invalid: Array<[string, Partial<LogEngagement['data']>, string]> = [
      ['an engagement id without the engagement- prefix', { engagementId: 'c9d0' }, 'engagementId'],
      ['an unknown kind', { kind: 'PHONE_CALL' as never }, 'kind'],
      ['a date in the future', { date: '2025-03-02' }, 'date'],
      ['a date that is not one', { date: '2025-13-01' }, 'date'],
      ['no stakeholder', { stakeholders: [] }, 'stakeholders'],
      ['a blank stakeholder', { stakeholders: [' '] }, 'stakeholders'],
      ['the same stakeholder twice', { stakeholders: ['CNDH', 'CNDH'] }, 'stakeholders'],
      ['more than 50 stakeholders', { stakeholders: Array.from({ length: 51 }, (_, i) => `Institution ${i}`) }, 'stakeholders'],
      ['a blank outcome', { outcome: '  ' }, 'outcome'],
    ];
    it.each(invalid)('refuses %s, naming the field', (_what, data, field) => {
      const error = spec.given([opened()]).when(log(data)).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe(field);
    });

    it('records its outcome later, replaces it, and ignores the same outcome again', () => {
      spec
        .given([opened(), logged])
        .when(recordOutcome(' Proposition de loi déposée '))
        .then([outcomeRecorded('Proposition de loi déposée')]);
      spec
        .given([opened(), logged, outcomeRecorded('Proposition de loi déposée')])
        .when(recordOutcome('Proposition de loi adoptée en commission'))
        .then([outcomeRecorded('Proposition de loi adoptée en commission')]);
      spec
        .given([opened(), logged, outcomeRecorded('Proposition de loi déposée')])
        .when(recordOutcome('Proposition de loi déposée'))
        .thenNothingHappened();
    });

    it('refuses the outcome of an unknown engagement as NOT_FOUND, and a blank one naming the field', () => {
      spec
        .given([opened(), logged])
        .when(recordOutcome('Suivi', engagementIdFrom('x')))
        .thenThrows(NotFoundError, { code: 'NOT_FOUND' });
      const error = spec.given([opened(), logged]).when(recordOutcome('')).thenThrows(ValidationError, { code: 'BAD_USER_INPUT' });
      expect(error.field).toBe('outcome');
    });
  });

  describe('when closed', () => {
    const closedLife = [opened(), issued(), logged, changed('ISSUED', 'UNDER_CONSIDERATION', CONSIDERING), closed];

    it.each([
      ['IssueRecommendation', issue({ recommendationId: OTHER_REC })],
      ['LogEngagement', log({ engagementId: engagementIdFrom('new') })],
      ['RecordEngagementOutcome', recordOutcome('Suivi')],
      ['CloseDossier (a second time)', close()],
    ])('refuses %s', (_name, command) => {
      spec.given(closedLife).when(command).thenThrows(IllegalStateError, ruleOf(DossierRules.closed));
    });

    it('still refuses a second opening', () => {
      spec.given(closedLife).when(open()).thenThrows(IllegalStateError, ruleOf(DossierRules.openAlreadyExists));
    });

    it('still records the State’s later answer to a recommendation, under the same rules', () => {
      spec
        .given(closedLife)
        .when(change('ADOPTED', ADOPTION, REC, LATER))
        .then([changed('UNDER_CONSIDERATION', 'ADOPTED', ADOPTION, REC, LATER)]);
      spec.given(closedLife).when(change('ACKNOWLEDGED', ADOPTION)).thenThrows(IllegalStateError, ruleOf(DossierRules.statusBackwards));
    });

    it('keeps its outcome and closing time in the state', () => {
      const state = closedLife.reduce(dossierDecider.evolve, dossierDecider.initialState());
      expect(state).toMatchObject({ status: 'CLOSED', outcome: 'Protocole ratifié', closedAt: NOW });
    });
  });
});
