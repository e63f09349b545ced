{{/*
Chart name, truncated to the 63 characters Kubernetes allows in a name.
*/}}
{{- define "cutover.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: <release>-<chart>, or the release name alone if it already contains the chart name.
*/}}
{{- define "cutover.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "cutover.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every resource of the release, without a component.
*/}}
{{- define "cutover.commonLabels" -}}
helm.sh/chart: {{ include "cutover.chart" . }}
app.kubernetes.io/name: {{ include "cutover.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Labels of the router's resources (Deployment, Service, HPA, PDB, monitoring).
*/}}
{{- define "cutover.labels" -}}
{{ include "cutover.commonLabels" . }}
app.kubernetes.io/component: router
{{- end }}

{{/*
Selector labels of the router pods. The component label keeps the migration Jobs' pods out of
the Service, the PDB and the ServiceMonitor.
*/}}
{{- define "cutover.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cutover.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: router
{{- end }}

{{- define "cutover.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "cutover.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "cutover.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end }}

{{- define "cutover.policyConfigMapName" -}}
{{- printf "%s-policy" (include "cutover.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The traffic policy document. Built key by key from .Values.traffic so that only the keys the
router accepts are rendered (it refuses unknown keys); toYaml keeps numbers exact (no 1e+06).
Decimals given with `--set` arrive as strings (values.schema.json checks their range), so the
fractional values go through float64 to be rendered as YAML numbers.
*/}}
{{- define "cutover.policy" -}}
{{- $t := .Values.traffic }}
{{- $rollback := dict
      "errorRate" ($t.rollback.errorRate | float64)
      "minRequests" ($t.rollback.minRequests | int64)
      "window" ($t.rollback.window | toString)
      "p99LatencyMs" ($t.rollback.p99LatencyMs | int64) }}
{{- range $key := list "confidence" "promoteConfidence" "latencyMargin" }}
{{- if hasKey $t.rollback $key }}
{{- $_ := set $rollback $key (index $t.rollback $key | float64) }}
{{- end }}
{{- end }}
{{- if hasKey $t.rollback "horizon" }}
{{- $_ := set $rollback "horizon" ($t.rollback.horizon | toString) }}
{{- end }}
{{- $policy := dict
      "v2Weight" ($t.v2Weight | float64)
      "stickyBy" ($t.stickyBy | toString)
      "stickySalt" ($t.stickySalt | toString)
      "tenants" (default (dict) $t.tenants)
      "dualWrite" $t.dualWrite
      "shadowReads" ($t.shadowReads | float64)
      "rollback" $rollback }}
{{- with $t.progression }}
{{- $_ := unset $policy "v2Weight" }}
{{- $_ := set $policy "progression" . }}
{{- end }}
{{- with $t.testers }}
{{- $_ := set $policy "testers" . }}
{{- end }}
{{- with $t.routes }}
{{- $_ := set $policy "routes" . }}
{{- end }}
{{- toYaml $policy }}
{{- end }}

{{/*
Environment shared by the router and the migration Jobs (the same Quarkus application boots
in both, so it needs the same configuration). Secrets are referenced by name, never rendered.
*/}}
{{- define "cutover.env" -}}
- name: CUTOVER_BACKENDS_V1_URL
  value: {{ .Values.backends.v1.url | quote }}
- name: CUTOVER_BACKENDS_V2_URL
  value: {{ .Values.backends.v2.url | quote }}
- name: CUTOVER_TRAFFIC_FILE
  value: {{ printf "%s/policy.yaml" (.Values.policyMountPath | trimSuffix "/") | quote }}
- name: CUTOVER_TENANT_HEADER
  value: {{ .Values.tenant.header | quote }}
- name: CUTOVER_TENANT_HEADER_TRUSTED
  value: {{ .Values.tenant.headerTrusted | quote }}
- name: CUTOVER_TENANT_DEFAULT
  value: {{ .Values.tenant.default | quote }}
- name: CUTOVER_TENANT_UNKNOWN_KEY
  value: {{ .Values.tenant.unknownKey | default (ternary "reject" "default" (not (empty .Values.tenant.apiKeysSecret))) | quote }}
{{- if .Values.tenant.apiKeysSecret }}
- name: CUTOVER_TENANT_API_KEYS_FILE
  value: {{ printf "%s/%s" (include "cutover.apiKeysMountPath" .) .Values.tenant.apiKeysKey | quote }}
{{- end }}
- name: CUTOVER_EDGE_HEADER_TIMEOUT
  value: {{ .Values.edge.headerTimeout | quote }}
- name: CUTOVER_EDGE_MAX_HALF_OPEN
  value: {{ .Values.edge.maxHalfOpen | quote }}
- name: CUTOVER_ACCESS_LOG_ENABLED
  value: {{ .Values.observability.accessLog.enabled | quote }}
- name: CUTOVER_ACCESS_LOG_SAMPLE
  value: {{ .Values.observability.accessLog.sample | quote }}
- name: CUTOVER_ACCESS_LOG_TENANT
  value: {{ .Values.observability.accessLog.tenant | quote }}
{{- with .Values.observability.tracing.otlpEndpoint }}
- name: QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
- name: QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL
  value: {{ $.Values.observability.tracing.otlpProtocol | quote }}
{{- end }}
{{- with .Values.routing.overrideHeader }}
- name: CUTOVER_ROUTING_OVERRIDE_HEADER
  value: {{ . | quote }}
{{- end }}
{{- if .Values.notify.webhookSecret }}
- name: CUTOVER_NOTIFY_WEBHOOK_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.notify.webhookSecret | quote }}
      key: {{ .Values.notify.webhookKey | quote }}
{{- end }}
{{- if .Values.admin.existingSecret }}
- name: CUTOVER_ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.admin.existingSecret | quote }}
      key: {{ .Values.admin.tokenKey | quote }}
{{- end }}
{{- with .Values.database }}
{{- if .host }}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ printf "jdbc:postgresql://%s:%v/%s" .host .port .name | quote }}
- name: QUARKUS_DATASOURCE_REACTIVE_URL
  value: {{ printf "postgresql://%s:%v/%s" .host .port .name | quote }}
{{- end }}
{{- if and .existingSecret .usernameKey }}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .usernameKey | quote }}
{{- else if .username }}
- name: QUARKUS_DATASOURCE_USERNAME
  value: {{ .username | quote }}
{{- end }}
{{- if .existingSecret }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .passwordKey | quote }}
{{- end }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "cutover.apiKeysMountPath" -}}
/etc/cutover/tenant
{{- end }}

{{/*
Volume mounts shared by the router and the Jobs. The policy ConfigMap and the API key Secret
are mounted as directories, never with subPath: only then does Kubernetes' atomic symlink swap
deliver an updated file to a running pod.
*/}}
{{- define "cutover.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: policy
  mountPath: {{ .Values.policyMountPath | trimSuffix "/" }}
  readOnly: true
{{- if .Values.tenant.apiKeysSecret }}
- name: tenant-api-keys
  mountPath: {{ include "cutover.apiKeysMountPath" . }}
  readOnly: true
{{- end }}
{{- end }}

{{- define "cutover.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
- name: policy
  configMap:
    name: {{ include "cutover.policyConfigMapName" . }}
{{- if .Values.tenant.apiKeysSecret }}
- name: tenant-api-keys
  secret:
    secretName: {{ .Values.tenant.apiKeysSecret | quote }}
    items:
      - key: {{ .Values.tenant.apiKeysKey | quote }}
        path: {{ .Values.tenant.apiKeysKey | quote }}
{{- end }}
{{- end }}

{{/*
PromQL label matchers selecting this release's series.
*/}}
{{- define "cutover.metricSelector" -}}
{{- default (printf "namespace=%q,service=%q" .Release.Namespace (include "cutover.fullname" .)) .Values.prometheusRule.selector }}
{{- end }}

{{/*
Connection of one migration database as environment. Call with (dict "side" "V1" "db" .Values.migration.v1Database).
*/}}
{{- define "cutover.migrationDbEnv" -}}
{{- $side := .side -}}
{{- with .db -}}
- name: {{ printf "CUTOVER_MIGRATION_%s_URL" $side }}
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .urlKey | quote }}
- name: {{ printf "CUTOVER_MIGRATION_%s_USERNAME" $side }}
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .usernameKey | quote }}
- name: {{ printf "CUTOVER_MIGRATION_%s_PASSWORD" $side }}
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .passwordKey | quote }}
{{- end }}
{{- end }}

{{/*
Where a migration job records its run for GET /admin/status: the router's own database (database.*), when the
chart names one. Call with the root context.
*/}}
{{- define "cutover.recordDbEnv" -}}
{{- with .Values.database }}
{{- if .host }}
- name: CUTOVER_MIGRATION_RECORD_URL
  value: {{ printf "postgresql://%s:%v/%s" .host .port .name | quote }}
{{- if and .existingSecret .usernameKey }}
- name: CUTOVER_MIGRATION_RECORD_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .usernameKey | quote }}
{{- else if .username }}
- name: CUTOVER_MIGRATION_RECORD_USERNAME
  value: {{ .username | quote }}
{{- end }}
{{- if .existingSecret }}
- name: CUTOVER_MIGRATION_RECORD_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .passwordKey | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
