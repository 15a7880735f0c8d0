#!/usr/bin/env node
// The `kubectl-perch` executable (package.json "bin"): kubectl runs it for `kubectl perch ...` when
// it is on PATH. The same commands as `perch`; as kubectl does, a canary named without a
// namespace, and `list`, use -n or else the kubeconfig's current namespace.
import { runProcess } from './entry';
import { kubeconfigNamespace } from './kubeconfig';

runProcess({ name: 'kubectl perch', currentNamespace: kubeconfigNamespace });
