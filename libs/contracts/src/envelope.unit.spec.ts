import { cloudEventType, fromCloudEvent, HRP_EXTENSION_ATTRIBUTES, parseCloudEventType, toCloudEvent } from './envelope';
import { EnvelopeError } from './errors';
import type { StoredEvent } from './stored-event';
import { sampleRegistry } from './testing/sample-registry';

// The official SDK, as a validator only (devDependency; CommonJS).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CloudEvent, ValidationError: CloudEventValidationError } = require('cloudevents') as {
  CloudEvent: new (event: object, strict?: boolean) => { validate(): boolean; toJSON(): Record<string, unknown> };
  ValidationError: new (...args: never[]) => Error;
};

const stored = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  streamId: 'campaign-7f3a',
  streamVersion: 3,
  position: 1042,
  type: 'CampaignLaunched',
  schemaVersion: 2,
  data: { campaignId: 'campaign-7f3a', launchedOn: '2025-03-01' },
  metadata: {
    eventId: '0d9f8a7e-1b2c-4d3e-8f90-a1b2c3d4e5f6',
    time: '2025-03-01T10:00:00.000Z',
    actor: { subject: 'f1e2d3c4-0000-4000-8000-000000000001', username: 'amina.manager' },
    correlationId: 'corr-123',
    causationId: 'req-456',
  },
  ...overrides,
});

describe('CloudEvents envelope', () => {
  describe('when a stored event is published', () => {
    it('maps every field to a CloudEvents attribute or an HRP extension', () => {
      expect(toCloudEvent(stored(), { context: 'campaigns' })).toEqual({
        specversion: '1.0',
        id: '0d9f8a7e-1b2c-4d3e-8f90-a1b2c3d4e5f6',
        source: '/hrp/campaigns',
        type: 'hrp.campaigns.CampaignLaunched.v2',
        subject: 'campaign-7f3a',
        time: '2025-03-01T10:00:00.000Z',
        datacontenttype: 'application/json',
        data: { campaignId: 'campaign-7f3a', launchedOn: '2025-03-01' },
        streamversion: 3,
        schemaversion: 2,
        position: '1042',
        actorsub: 'f1e2d3c4-0000-4000-8000-000000000001',
        actorname: 'amina.manager',
        correlationid: 'corr-123',
        causationid: 'req-456',
      });
    });

    it('omits causationid when there is no cause, rather than setting it to null', () => {
      const { causationId: _omit, ...metadata } = stored().metadata;
      const envelope = toCloudEvent(stored({ metadata }), { context: 'campaigns' });
      expect('causationid' in envelope).toBe(false);
    });

    it('uses only lowercase alphanumeric extension names', () => {
      for (const name of HRP_EXTENSION_ATTRIBUTES) expect(name).toMatch(/^[a-z0-9]{1,20}$/);
      for (const name of Object.keys(toCloudEvent(stored(), { context: 'campaigns' }))) expect(name).toMatch(/^[a-z0-9]+$/);
    });

    it('refuses a context or event type that would break the naming scheme', () => {
      expect(() => toCloudEvent(stored(), { context: 'Campaigns' })).toThrow(EnvelopeError);
      expect(() => toCloudEvent(stored({ type: 'campaign.launched' }), { context: 'campaigns' })).toThrow(EnvelopeError);
    });
  });

  describe('when validated by the official cloudevents SDK', () => {
    it('is a valid CloudEvent in strict mode, extensions included', () => {
      const envelope = toCloudEvent(stored(), { context: 'campaigns' });
      const event = new CloudEvent(envelope); // strict by default: validates names and values
      expect(event.validate()).toBe(true);
      expect(new CloudEvent(envelope, true).validate()).toBe(true);
      for (const name of HRP_EXTENSION_ATTRIBUTES) expect(event.toJSON()[name]).toEqual(envelope[name]);
    });

    it('is valid without a causation id too', () => {
      const { causationId: _omit, ...metadata } = stored().metadata;
      expect(new CloudEvent(toCloudEvent(stored({ metadata }), { context: 'finance' })).validate()).toBe(true);
    });

    it('would reject the names we avoid (sanity check of the strict mode we rely on)', () => {
      const envelope = toCloudEvent(stored(), { context: 'campaigns' });
      expect(() => new CloudEvent({ ...envelope, 'stream-version': 3 })).toThrow(CloudEventValidationError);
      expect(() => new CloudEvent({ ...envelope, stream_version: 3 })).toThrow(/invalid extension name/);
      expect(() => new CloudEvent({ ...envelope, causationid: undefined })).toThrow(/invalid extension value/);
    });

    it('round-trips through the SDK and JSON', () => {
      const envelope = toCloudEvent(stored(), { context: 'campaigns' });
      const wire = JSON.parse(JSON.stringify(new CloudEvent(envelope).toJSON())) as unknown;
      expect(fromCloudEvent(wire)).toEqual(stored());
    });
  });

  describe('when an envelope is read back', () => {
    it('is the inverse of toCloudEvent', () => {
      expect(fromCloudEvent(toCloudEvent(stored(), { context: 'campaigns' }))).toStrictEqual(stored());
      const { causationId: _omit, ...metadata } = stored().metadata;
      const noCause = stored({ metadata, position: 0 });
      expect(fromCloudEvent(toCloudEvent(noCause, { context: 'campaigns' }))).toStrictEqual(noCause);
    });

    it('accepts integers as strings, as they arrive from Kafka headers in binary mode', () => {
      const envelope = {
        ...toCloudEvent(stored(), { context: 'campaigns' }),
        streamversion: '3',
        schemaversion: '2',
        data: JSON.stringify(stored().data),
      };
      expect(fromCloudEvent(envelope)).toStrictEqual(stored());
    });

    it('keeps positions beyond 32 bits exact', () => {
      const far = stored({ position: 2 ** 40 + 1 });
      expect(fromCloudEvent(toCloudEvent(far, { context: 'campaigns' })).position).toBe(2 ** 40 + 1);
    });

    it('returns the data at its written version, ready for the registry to upcast', () => {
      const v1 = stored({ type: 'SampleRegistered', schemaVersion: 1, data: { sampleId: 's-1', name: 'Atelier' } });
      const read = sampleRegistry.upcast(fromCloudEvent(toCloudEvent(v1, { context: 'sample' })));
      expect(read.schemaVersion).toBe(2);
      expect(read.data).toEqual({ sampleId: 's-1', title: { fr: 'Atelier' }, region: 'NATIONAL' });
    });

    const valid = () => toCloudEvent(stored(), { context: 'campaigns' }) as unknown as Record<string, unknown>;
    it.each<[string, Record<string, unknown>, RegExp]>([
      ['another spec version', { specversion: '0.3' }, /specversion/],
      ['a foreign source', { source: '/other/campaigns' }, /source/],
      ['a type from another context', { type: 'hrp.finance.CampaignLaunched.v2' }, /context finance/],
      ['a type outside the scheme', { type: 'com.example.thing' }, /does not follow/],
      ['a schemaversion contradicting the type', { schemaversion: 1 }, /contradicts/],
      ['a missing subject', { subject: undefined }, /subject/],
      ['a bad time', { time: 'yesterday' }, /time/],
      ['a negative position', { position: '-1' }, /position/],
      ['a fractional stream version', { streamversion: 1.5 }, /streamversion/],
      ['a zero stream version', { streamversion: 0 }, /streamversion must be at least 1/],
      ['a missing actor', { actorsub: undefined }, /actorsub/],
      ['a non-JSON content type', { datacontenttype: 'text/plain' }, /datacontenttype/],
    ])('rejects %s', (_what, change, message) => {
      expect(() => fromCloudEvent({ ...valid(), ...change })).toThrow(message);
      expect(() => fromCloudEvent({ ...valid(), ...change })).toThrow(EnvelopeError);
    });

    it('rejects what is not an object', () => {
      expect(() => fromCloudEvent(null)).toThrow(EnvelopeError);
      expect(() => fromCloudEvent('{}')).toThrow(EnvelopeError);
    });
  });

  describe('naming scheme', () => {
    it('builds and parses hrp.<context>.<EventType>.v<n>', () => {
      expect(cloudEventType('training', 'SessionHeld', 1)).toBe('hrp.training.SessionHeld.v1');
      expect(parseCloudEventType('hrp.training.SessionHeld.v12')).toEqual({
        context: 'training',
        eventType: 'SessionHeld',
        schemaVersion: 12,
      });
      expect(() => cloudEventType('training', 'SessionHeld', 0)).toThrow(EnvelopeError);
      expect(() => parseCloudEventType('hrp.training.SessionHeld.v01')).toThrow(EnvelopeError);
    });
  });
});
