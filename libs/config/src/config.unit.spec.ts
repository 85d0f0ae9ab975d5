import { loadConfig, port } from './index';

describe('loadConfig', () => {
  it('applies the platform defaults and the app settings', () => {
    const c = loadConfig({ PORT: port({ default: 4001 }) }, {});
    expect(c.PORT).toBe(4001);
    expect(c.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(c.KEYCLOAK_REALM).toBe('hrp');
  });

  it('parses a broker list', () => {
    const c = loadConfig({}, { KAFKA_BROKERS: 'a:9092, b:9093' });
    expect(c.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it('refuses an invalid value, naming the variable', () => {
    // envalid's default reporter exits the process; a throwing reporter keeps the test alive
    const reporter = ({ errors }: { errors: Record<string, unknown> }) => {
      const names = Object.keys(errors).sort();
      if (names.length) throw new Error(`invalid: ${names.join(',')}`);
    };
    expect(() => loadConfig({ PORT: port() }, { PORT: 'not-a-port', MONGO_URL: 'x' }, { reporter })).toThrow('invalid: MONGO_URL,PORT');
  });
});
