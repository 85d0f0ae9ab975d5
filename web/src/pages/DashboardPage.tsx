import { BarChart } from '@mantine/charts';
import { Badge, Card, Group, Loader, NumberInput, Select, SimpleGrid, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ErrorNotice';
import { graphql } from '../gql';
import type { Language } from '../i18n';
import { formatMoney, formatNumber, localized } from '../lib/format';
import { scopedRegion, type Viewer } from '../lib/permissions';
import { REGION_TILES, REGIONS } from '../lib/regions';

const INDICATORS = graphql(`
  query Dashboard($year: Int!, $region: String) {
    indicators(year: $year, region: $region) {
      code
      name {
        fr
        ar
        en
        zgh
      }
      unit
      value
      target
      baseline
      achievement
      light
      national
    }
    reach: indicator(code: "AWR-01", year: $year, region: $region) {
      byRegion: breakdown(by: "region") {
        key
        value
      }
    }
    trained: indicator(code: "TRN-01", year: $year, region: $region) {
      byProfession: breakdown(by: "profession") {
        key
        value
      }
      bySex: breakdown(by: "sex") {
        key
        value
      }
    }
    budget: indicator(code: "FIN-01", year: $year) {
      byArea: breakdown(by: "programmeArea") {
        key
        value
      }
    }
  }
`);

/** Traffic lights dark enough for white text (contrast ≥ 4.5:1), each also named in words. */
const LIGHT_COLOR: Record<string, string> = { ON_TRACK: '#1b5e20', AT_RISK: '#8a5a00', OFF_TRACK: '#b71c1c', NO_TARGET: '#424242' };

function value(unit: string, v: number, language: Language): string {
  if (unit.startsWith('MAD_MINOR_UNITS')) return formatMoney(Math.round(v), language);
  if (unit === 'PERCENT') return `${formatNumber(v, language)} %`;
  return formatNumber(v, language);
}

/** The indicators of a year with their lights, reach on a map of the 12 regions, training and budget charts. */
export function DashboardPage({ viewer }: { viewer: Viewer }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const held = scopedRegion(viewer);
  const [year, setYear] = useState(new Date().getUTCFullYear());
  const [region, setRegion] = useState<string | null>(held ?? null);
  const { data, loading, error, refetch } = useQuery(INDICATORS, { variables: { year, region: held ?? region } });
  const reach = new Map((data?.reach?.byRegion ?? []).map((s) => [s.key, s.value]));
  const most = Math.max(1, ...reach.values());
  return (
    <>
      <Title order={2} mb="md">
        {t('dashboard.title', { year })}
      </Title>
      <Group mb="md">
        <NumberInput
          label={t('dashboard.year')}
          value={year}
          onChange={(v) => typeof v === 'number' && setYear(v)}
          min={2000}
          max={2100}
          w={120}
        />
        <Select
          label={t('dashboard.region')}
          value={held ?? region ?? ''}
          disabled={held !== undefined}
          onChange={(v) => setRegion(v || null)}
          data={[{ value: '', label: t('dashboard.national') }, ...REGIONS.map((r) => ({ value: r, label: r }))]}
          w={180}
        />
      </Group>
      <ErrorNotice error={error} onReload={() => void refetch()} />
      {loading && !data && <Loader aria-label={t('common.loading')} />}
      {data && (
        <>
          <Table striped highlightOnHover data-testid="indicators" mb="lg">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dashboard.code')}</Table.Th>
                <Table.Th>{t('dashboard.indicator')}</Table.Th>
                <Table.Th>{t('dashboard.value')}</Table.Th>
                <Table.Th>{t('dashboard.target')}</Table.Th>
                <Table.Th>{t('dashboard.achievement')}</Table.Th>
                <Table.Th>{t('dashboard.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.indicators.map((i) => (
                <Table.Tr key={i.code} data-code={i.code}>
                  <Table.Td>{i.code}</Table.Td>
                  <Table.Td>{localized(i.name, language)}</Table.Td>
                  <Table.Td>{value(i.unit, i.value, language)}</Table.Td>
                  <Table.Td>{i.target == null ? '—' : value(i.unit, i.target, language)}</Table.Td>
                  <Table.Td>{i.achievement == null ? '—' : `${formatNumber(i.achievement * 100, language, 0)} %`}</Table.Td>
                  <Table.Td>
                    <Badge color={LIGHT_COLOR[i.light] ?? '#424242'}>{t(`lights.${i.light}`)}</Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Title order={3} size="h5" mb="sm">
                {t('dashboard.map')} — {t('dashboard.reachByRegion')}
              </Title>
              <div className="region-map" role="img" aria-label={t('dashboard.reachByRegion')}>
                {REGION_TILES.map((tile) => {
                  const n = reach.get(tile.code) ?? 0;
                  return (
                    <Tooltip key={tile.code} label={`${tile.name} : ${formatNumber(n, language)}`}>
                      <div
                        className="region-tile"
                        style={{
                          gridRow: tile.row,
                          gridColumn: tile.col,
                          // Darker for more people; the text turns white where the tile is dark (contrast ≥ 4.5:1 both ways).
                          background: `rgba(8, 100, 82, ${0.08 + (0.92 * n) / most})`,
                          color: n / most > 0.45 ? '#ffffff' : '#04382e',
                        }}
                      >
                        <Text size="xs" fw={600}>
                          {tile.code}
                        </Text>
                        <Text size="xs">{formatNumber(n, language)}</Text>
                      </div>
                    </Tooltip>
                  );
                })}
              </div>
            </Card>
            <Card withBorder>
              <Title order={3} size="h5" mb="sm">
                {t('dashboard.trainedBySex')}
              </Title>
              <BarChart
                h={220}
                data={(data.trained?.byProfession ?? []).map((s) => ({ key: t(`keys.${s.key}`, { defaultValue: s.key }), value: s.value }))}
                dataKey="key"
                series={[{ name: 'value', label: t('dashboard.value'), color: 'teal.6' }]}
              />
              <Text size="sm" mt="xs">
                {(data.trained?.bySex ?? [])
                  .map(
                    (s) =>
                      `${s.key === 'F' ? t('actions.female') : s.key === 'M' ? t('actions.male') : t('actions.undisclosed')}: ${formatNumber(s.value, language)}`,
                  )
                  .join(' · ')}
              </Text>
            </Card>
            <Card withBorder>
              <Title order={3} size="h5" mb="sm">
                {t('dashboard.budgetExecution')}
              </Title>
              <BarChart
                h={220}
                data={(data.budget?.byArea ?? []).map((s) => ({
                  key: t(`keys.${s.key}`, { defaultValue: s.key }),
                  value: Math.round(s.value * 100) / 100,
                }))}
                dataKey="key"
                unit=" %"
                series={[{ name: 'value', label: t('dashboard.achievement'), color: 'indigo.6' }]}
              />
            </Card>
          </SimpleGrid>
        </>
      )}
    </>
  );
}
