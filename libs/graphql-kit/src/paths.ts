import * as path from 'node:path';

/** Path of the SDL every subgraph starts with (copied beside the compiled code by the build). */
export const SHARED_SDL_PATH = path.join(__dirname, 'shared.graphql');
