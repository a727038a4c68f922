#!/usr/bin/env node
// One bundled file starts several times faster than hundreds of ES modules.
import '../dist/slipway.mjs';
