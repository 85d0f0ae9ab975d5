import { NavLink as MantineNavLink, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes } from 'react-router-dom';
import { canDecideCommitments, canDownloadReports, canReadIndicators, readsBusinessData, type Viewer } from './lib/permissions';
import { CampaignPage } from './pages/CampaignPage';
import { CampaignsPage } from './pages/CampaignsPage';
import { CommitmentsPage } from './pages/CommitmentsPage';
import { DashboardPage } from './pages/DashboardPage';
import { ReportsPage } from './pages/ReportsPage';
import { Shell } from './Shell';

/** The signed-in console: the screens a role reads, and nothing it does not. */
export function App({ viewer, onLogout }: { viewer: Viewer; onLogout: () => void }) {
  const { t } = useTranslation();
  const business = readsBusinessData(viewer);
  const links = [
    canReadIndicators(viewer) && business && { to: '/', label: t('nav.dashboard') },
    business && { to: '/campaigns', label: t('nav.campaigns') },
    canDecideCommitments(viewer) && { to: '/commitments', label: t('nav.commitments') },
    canDownloadReports(viewer) && { to: '/reports', label: t('nav.reports') },
  ].filter((l): l is { to: string; label: string } => Boolean(l));
  const nav = (
    <Stack component="nav" gap={2} aria-label="HRP">
      {links.map((l) => (
        <MantineNavLink key={l.to} component={NavLink} to={l.to} end={l.to === '/'} label={l.label} />
      ))}
      <MantineNavLink component="a" href={`${import.meta.env.BASE_URL}verify`} label={t('nav.verify')} />
    </Stack>
  );
  return (
    <Shell viewer={viewer} onLogout={onLogout} nav={nav}>
      <Routes>
        <Route path="/" element={<DashboardPage viewer={viewer} />} />
        <Route path="/campaigns" element={<CampaignsPage viewer={viewer} />} />
        <Route path="/campaigns/:id" element={<CampaignPage viewer={viewer} />} />
        <Route path="/commitments" element={<CommitmentsPage viewer={viewer} />} />
        <Route path="/reports" element={<ReportsPage />} />
      </Routes>
    </Shell>
  );
}
