#!/usr/bin/env node
// The CLI, bundled into one file by `npm run build` (scripts/bundle.mjs).
import { main } from '../dist/bundle/detect.mjs';

process.exitCode = await main(process.argv);
