/*
 * A GraphQL error in words for the person who caused it: the rule a refusal names
 * (`extensions.rule`), what a field needs (BAD_USER_INPUT), a stale version (CONFLICT: the screen
 * offers to reload), never a bare code.
 */

export interface GraphQLErrorLike {
  readonly message: string;
  readonly extensions?: Record<string, unknown>;
}

export type ErrorKind = 'rule' | 'input' | 'conflict' | 'forbidden' | 'unauthenticated' | 'not-found' | 'retry' | 'other';

export interface ShownError {
  readonly kind: ErrorKind;
  /** The i18n key of the sentence that introduces it. */
  readonly titleKey: string;
  /** The service's own words (the rule, the field's need), shown as written. */
  readonly detail: string;
  /** The field a form should mark. */
  readonly field?: string;
  /** Whether a reload of the screen is what helps. */
  readonly reload: boolean;
}

export function shownError(e: GraphQLErrorLike): ShownError {
  const x = e.extensions ?? {};
  const code = typeof x.code === 'string' ? x.code : '';
  const field = typeof x.field === 'string' ? x.field : undefined;
  switch (code) {
    case 'DOMAIN_RULE_VIOLATION':
      // `rule` is the rule's stable id (worded by the console when it knows it); the message is the service's sentence.
      return { kind: 'rule', titleKey: 'errors.rule', detail: e.message, reload: false };
    case 'BAD_USER_INPUT':
      return { kind: 'input', titleKey: 'errors.input', detail: e.message, field, reload: false };
    case 'CONFLICT':
      return { kind: 'conflict', titleKey: 'errors.conflict', detail: e.message, reload: true };
    case 'FORBIDDEN':
      return { kind: 'forbidden', titleKey: 'errors.forbidden', detail: e.message, reload: false };
    case 'UNAUTHENTICATED':
      return { kind: 'unauthenticated', titleKey: 'errors.unauthenticated', detail: e.message, reload: true };
    case 'NOT_FOUND':
      return { kind: 'not-found', titleKey: 'errors.notFound', detail: e.message, reload: false };
    case 'POSITION_NOT_REACHED':
      return { kind: 'retry', titleKey: 'errors.retry', detail: e.message, reload: true };
    default:
      return { kind: 'other', titleKey: 'errors.other', detail: e.message, reload: false };
  }
}
