#!/usr/bin/env node
// The `perch` executable (package.json "bin"). Everything else is in program.ts.
import { runProcess } from './entry';

runProcess({ name: 'perch' });
