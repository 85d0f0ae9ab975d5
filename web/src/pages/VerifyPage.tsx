import { Alert, Button, Card, Group, TextInput, Title } from '@mantine/core';
import { useLazyQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ErrorNotice';
import { graphql } from '../gql';
import type { Language } from '../i18n';
import { formatDate, localized } from '../lib/format';

const VERIFY = graphql(`
  query VerifyCertificate($code: String!) {
    verifyCertificate(code: $code) {
      code
      issuedAt
      revokedAt
      participantName
      moduleTitle {
        fr
        ar
        en
        zgh
      }
    }
  }
`);

/** Anyone, without signing in, checks a certificate's code (the gateway limits the rate). */
export function VerifyPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [code, setCode] = useState(new URLSearchParams(window.location.search).get('code') ?? '');
  const [verify, { data, called, loading, error }] = useLazyQuery(VERIFY, { fetchPolicy: 'network-only' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void verify({ variables: { code: code.trim() } });
  };
  const cert = data?.verifyCertificate;
  return (
    <Card withBorder maw={560} mx="auto" component="form" onSubmit={submit}>
      <Title order={2} mb="md">
        {t('verify.title')}
      </Title>
      <Group align="end">
        <TextInput label={t('verify.code')} required value={code} onChange={(e) => setCode(e.currentTarget.value)} style={{ flex: 1 }} />
        <Button type="submit" loading={loading}>
          {t('verify.check')}
        </Button>
      </Group>
      <ErrorNotice error={error} />
      {called && !loading && !error && (
        <Alert mt="md" color={cert && !cert.revokedAt ? '#1b5e20' : '#b71c1c'} data-testid="verification" role="status">
          {cert && !cert.revokedAt
            ? `${t('verify.valid', { date: formatDate(cert.issuedAt, language) })} ${cert.participantName ?? ''} — ${localized(cert.moduleTitle, language)}`
            : t('verify.invalid')}
        </Alert>
      )}
    </Card>
  );
}
