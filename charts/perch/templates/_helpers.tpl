{{/* Names and shared pieces of Perch's objects. */}}

{{/* The prefix of every object's name: the release name when it names Perch already, else <release>-perch. */}}
{{- define "perch.fullname" -}}
{{- $name := ternary .Release.Name (printf "%s-%s" .Release.Name .Chart.Name) (contains .Chart.Name .Release.Name) -}}
{{- $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The label every object of the install carries (kustomize's `labels` in deploy/base). */}}
{{- define "perch.labels" -}}
app.kubernetes.io/part-of: perch
{{- end -}}

{{/* Where a mounted Temporal client certificate lives (temporal.tlsSecret). */}}
{{- define "perch.temporalTlsDir" -}}/etc/perch/temporal-tls{{- end -}}

{{/*
The ConfigMap's data, as YAML: `config` without its empty values, the HTTP address the probes
use, and the client certificate's paths when temporal.tlsSecret is set.
*/}}
{{- define "perch.configData" -}}
{{- $data := dict "PERCH_HTTP_ADDRESS" "0.0.0.0:8080" -}}
{{- range $key, $value := .Values.config -}}
{{- if and (not (kindIs "invalid" $value)) (ne (toString $value) "") -}}
{{- $_ := set $data $key (toString $value) -}}
{{- end -}}
{{- end -}}
{{- if .Values.temporal.tlsSecret -}}
{{- $_ := set $data "TEMPORAL_TLS_CLIENT_CERT_PATH" (printf "%s/tls.crt" (include "perch.temporalTlsDir" .)) -}}
{{- $_ := set $data "TEMPORAL_TLS_CLIENT_KEY_PATH" (printf "%s/tls.key" (include "perch.temporalTlsDir" .)) -}}
{{- end -}}
{{- toYaml $data -}}
{{- end -}}

{{/*
The ConfigMap's name with kustomize's content hash (configMapGenerator): the first ten hex digits
of the SHA-256 of {"data":...,"kind":"ConfigMap","name":""} as Go's encoding/json writes it, with
0, 1, 3, a and e swapped for letters. The name is empty as kustomize (api v0.20) hashes it: its
hasher looks `metadata/name` up as one field and finds none. test/deploy/chart.test.ts compares
the result with kubectl kustomize, so a kustomize that hashes otherwise is noticed.
*/}}
{{- define "perch.configMapName" -}}
{{- $hex := dict "data" (include "perch.configData" . | fromYaml) "kind" "ConfigMap" "name" "" | toJson | sha256sum | trunc 10 -}}
{{- printf "%s-config-%s" (include "perch.fullname" .) ($hex | replace "0" "g" | replace "1" "h" | replace "3" "k" | replace "a" "m" | replace "e" "t") -}}
{{- end -}}

{{/*
One of Perch's two Deployments; `role` is worker or watcher, `tmpSize` the emptyDir's limit on /tmp,
`nodeFlags` Node's options for the process (test/support/perch.ts NODE_FLAGS).
Both run the same image as the ServiceAccount, non-root on a read-only root filesystem.
*/}}
{{- define "perch.deployment" -}}
{{- $root := .root -}}
{{- $values := index $root.Values .role -}}
{{- $name := printf "%s-%s" (include "perch.fullname" $root) .role -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "perch.labels" $root | nindent 4 }}
    app.kubernetes.io/name: {{ $name }}
    app.kubernetes.io/component: {{ .role }}
spec:
  replicas: {{ $values.replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ $name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ $name }}
        app.kubernetes.io/component: {{ .role }}
    spec:
      serviceAccountName: {{ include "perch.fullname" $root }}
      # The worker lets in-flight activities finish for up to 30 s on SIGTERM; the watcher exits at once.
      terminationGracePeriodSeconds: 60
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000 # `node` in the node:24-slim image
        runAsGroup: 1000
        fsGroup: 1000 # mounted Secrets (a Temporal client certificate) are readable by the group
        seccompProfile:
          type: RuntimeDefault
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .role }}
          image: {{ printf "%s:%s" $root.Values.image.repository ($root.Values.image.tag | default $root.Chart.AppVersion) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: [node, {{- range .nodeFlags }} {{ . }},{{- end }} dist/src/{{ .role }}.js]
          envFrom:
            - configMapRef:
                name: {{ include "perch.configMapName" $root }}
          {{- with $root.Values.temporal.apiKeySecret }}
          env:
            - name: TEMPORAL_API_KEY
              valueFrom:
                secretKeyRef:
                  name: {{ . }}
                  key: api-key
          {{- end }}
          ports:
            - name: http
              containerPort: 8080
          startupProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 20
            failureThreshold: 3
          readinessProbe:
            httpGet: {path: /readyz, port: http}
            periodSeconds: 10
          resources:
            {{- toYaml $values.resources | nindent 12 }}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if $root.Values.temporal.tlsSecret }}
            - name: temporal-tls
              mountPath: {{ include "perch.temporalTlsDir" $root }}
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ .tmpSize }}
        {{- with $root.Values.temporal.tlsSecret }}
        - name: temporal-tls
          secret:
            secretName: {{ . }}
            defaultMode: 288 # 0440, read-only to owner and group; decimal, as YAML 1.1 and 1.2 read 0440 differently
        {{- end }}
{{- end -}}
