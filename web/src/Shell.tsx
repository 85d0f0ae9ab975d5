import { AppShell, DirectionProvider, Group, MantineProvider, Select, Text, Title, Button, createTheme } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { applyLanguage, directionOf, LANGUAGE_NAMES, LANGUAGES, type Language } from './i18n';
import type { Viewer } from './lib/permissions';

/*
 * An accessible palette (WCAG 2.1 AA): white on the primary shade and the light variant's dark
 * text on its pale background both contrast well above 4.5:1 (Mantine's default teal does not).
 */
const theme = createTheme({
  colors: {
    hrp: ['#e6f4f1', '#cce9e3', '#99d3c7', '#66bdab', '#33a78f', '#0f8f76', '#0b7a64', '#086452', '#064e40', '#04382e'],
  },
  primaryColor: 'hrp',
  primaryShade: 7,
  fontFamily: 'system-ui, "Noto Sans", "Noto Sans Arabic", "Noto Sans Tifinagh", sans-serif',
});

/** The frame of every screen: the title, the language (the whole layout mirrors in Arabic), who is signed in. */
export function Shell(props: { viewer: Viewer | null; onLogout: (() => void) | null; nav?: ReactNode; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const [language, setLanguage] = useState<Language>(i18n.language as Language);
  useEffect(() => {
    applyLanguage(language);
    void i18n.changeLanguage(language);
  }, [language, i18n]);
  const dir = directionOf(language);
  return (
    <DirectionProvider initialDirection={dir} detectDirection={false} key={dir}>
      <MantineProvider theme={theme}>
        <a href="#main" className="skip-link">
          {t('app.skip')}
        </a>
        <AppShell header={{ height: 60 }} navbar={props.nav ? { width: 230, breakpoint: 'sm' } : undefined} padding="md">
          <AppShell.Header>
            <Group h="100%" px="md" justify="space-between">
              <Title order={1} size="h3">
                {t('app.title')}
              </Title>
              <Group>
                <Select
                  aria-label={t('app.language')}
                  data-testid="language"
                  w={140}
                  value={language}
                  onChange={(v) => v && setLanguage(v)}
                  data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
                  allowDeselect={false}
                />
                {props.viewer && <Text size="sm">{t('app.signedInAs', { name: props.viewer.username })}</Text>}
                {props.onLogout && (
                  <Button variant="subtle" onClick={props.onLogout}>
                    {t('app.logout')}
                  </Button>
                )}
              </Group>
            </Group>
          </AppShell.Header>
          {props.nav && <AppShell.Navbar p="sm">{props.nav}</AppShell.Navbar>}
          <AppShell.Main id="main">{props.children}</AppShell.Main>
        </AppShell>
      </MantineProvider>
    </DirectionProvider>
  );
}
