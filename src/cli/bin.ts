/** Entry point of the `slipway` command (bundled into dist/slipway.mjs by `npm run build`). */
import { run } from './main.js';

process.exit(await run(process.argv));
