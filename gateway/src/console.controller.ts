import { existsSync } from 'node:fs';
import path from 'node:path';
import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '@hrp/auth';
import { config } from './config';

/** Where the console's production build is (web/dist of this repo unless WEB_DIST says). */
export const consoleDist = () => (config.WEB_DIST ? path.resolve(config.WEB_DIST) : path.resolve(__dirname, '..', '..', 'web', 'dist'));

/**
 * The web console (web/), served by the gateway under /console: same origin as /graphql, so no
 * CORS, one port. `config.json` tells the browser which Keycloak and client to sign in with (the
 * public client `hrp-web`, code flow with PKCE). Files are sent from the build folder only
 * (express `send` with a root refuses paths out of it); any other path is the app's own route,
 * answered with index.html. Hashed assets are cached for a year, index.html never.
 */
@Controller('console')
export class ConsoleController {
  @Public()
  @Get('config.json')
  configJson(@Res() res: Response) {
    res.setHeader('cache-control', 'no-store');
    return res.json({
      keycloakUrl: config.KEYCLOAK_PUBLIC_URL || config.KEYCLOAK_URL,
      realm: config.KEYCLOAK_REALM,
      clientId: config.WEB_CLIENT_ID,
      graphqlUrl: '/graphql',
    });
  }

  @Public()
  @Get(['', '*path'])
  file(@Req() req: Request, @Res() res: Response) {
    const root = consoleDist();
    if (!existsSync(path.join(root, 'index.html')))
      return res.status(503).json({ error: `the console is not built (${root}): npm start builds it` });
    const rel = decodeURIComponent(req.path.replace(/^\/console\/?/, ''));
    const asset = rel.startsWith('assets/') && !rel.includes('..') && existsSync(path.join(root, rel));
    if (asset) return res.sendFile(rel, { root, maxAge: '365d', immutable: true });
    res.setHeader('cache-control', 'no-cache');
    return res.sendFile('index.html', { root });
  }
}
