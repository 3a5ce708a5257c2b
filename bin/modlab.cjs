#!/usr/bin/env node
// The `modlab` command: runs the CLI from its TypeScript source through tsx.
require('tsx/cjs')
require('../src-main/hosts/cli/main.ts')
