import { isPublicOperation, RateLimiter } from '../src/public';

describe('what the gateway answers without a token', () => {
  it.each([
    ['the verification query', { query: 'query($c: String!) { verifyCertificate(code: $c) { code participantName } }' }, true],
    ['it with __typename', { query: '{ __typename verifyCertificate(code: "X") { code } }' }, true],
    [
      'a named one, chosen by operationName',
      { query: 'query A { verifyCertificate(code: "X") { code } } query B { budget(fiscalYear: 2026) { id } }', operationName: 'A' },
      true,
    ],
    [
      'the other of the two',
      { query: 'query A { verifyCertificate(code: "X") { code } } query B { budget(fiscalYear: 2026) { id } }', operationName: 'B' },
      false,
    ],
    ['two operations without operationName', { query: 'query A { verifyCertificate(code: "X") { code } } query B { __typename }' }, false],
    ['a query mixing a private field', { query: '{ verifyCertificate(code: "X") { code } trainingSessions { totalCount } }' }, false],
    ['a mutation', { query: 'mutation { erasePerson(personId: "person-1") { erased } }' }, false],
    [
      'fragments (which could hide other fields)',
      { query: '{ ...F } fragment F on Query { verifyCertificate(code: "X") { code } }' },
      false,
    ],
    ['an unparsable body', { query: '{ verifyCertificate(' }, false],
    ['no query', {}, false],
    ['a very long query', { query: `{ verifyCertificate(code: "${'X'.repeat(3000)}") { code } }` }, false],
  ])('%s: %s', (_name, body, expected) => {
    expect(isPublicOperation(body)).toBe(expected);
  });

  it('limits each address to its quota per window, then lets it through again in the next window', () => {
    const limiter = new RateLimiter(3, 60_000);
    expect([1, 2, 3, 4].map(() => limiter.take('10.0.0.1', 1000))).toEqual([true, true, true, false]);
    expect(limiter.take('10.0.0.2', 1000)).toBe(true);
    expect(limiter.take('10.0.0.1', 61_000)).toBe(true);
  });
});
