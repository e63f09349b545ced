{{/*
A one-off migration Job: the router's image run as `java -jar /deployments/quarkus-run.jar
<command> [args]`. The image's entrypoint (run-java.sh) execs exactly that with the container's
args appended, and keeps the image's JVM settings, so only `args` is set here.

Plain Jobs, not Helm hooks: a hook blocks `helm upgrade` until it completes, and a backfill may
run for hours while operators keep moving traffic with `helm upgrade`. The name carries `runId`
because a Job's pod template is immutable: bump it to start a new run.

With `parallelism` N > 1 the Job is an Indexed Job of N pods, all at once (parallelism = completions: a
shard waits for the others to finish a parent table, so all N must run together), each running
`<command> --shard $(JOB_COMPLETION_INDEX)/N`; retries count per index (backoffLimitPerIndex,
Kubernetes 1.29+), and an exit code that is a result, not a transient failure (backfill 3: rows
rejected; verify 1 and 3: differences), fails that index at once instead of copying its range again.

Call with (dict "root" $ "command" "backfill" "job" .Values.migration.backfill "results" (list 3)).
*/}}
{{- define "cutover.migrationJob" -}}
{{- $root := .root }}
{{- $job := .job }}
{{- $m := $root.Values.migration }}
{{- $n := int ($job.parallelism | default 1) }}
{{- if not $m.v1Database.existingSecret }}
{{- fail (printf "migration.%s.enabled needs migration.v1Database.existingSecret (the name of a Secret with V1's database connection)" .command) }}
{{- end }}
{{- if not $m.v2Database.existingSecret }}
{{- fail (printf "migration.%s.enabled needs migration.v2Database.existingSecret (the name of a Secret with V2's database connection)" .command) }}
{{- end }}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ printf "%s-%s-%s" (include "cutover.fullname" $root | trunc 40 | trimSuffix "-") .command ($job.runId | toString) | trunc 63 | trimSuffix "-" }}
  labels:
    {{- include "cutover.commonLabels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .command }}
spec:
  {{- if gt $n 1 }}
  completionMode: Indexed
  completions: {{ $n }}
  parallelism: {{ $n }}
  backoffLimitPerIndex: {{ $job.backoffLimit }}
  podFailurePolicy:
    rules:
      - action: FailIndex
        onExitCodes:
          containerName: {{ .command }}
          operator: In
          values: {{ toJson .results }}
  {{- else }}
  backoffLimit: {{ $job.backoffLimit }}
  podFailurePolicy:
    rules:
      - action: FailJob
        onExitCodes:
          containerName: {{ .command }}
          operator: In
          values: {{ toJson .results }}
  {{- end }}
  {{- with $job.activeDeadlineSeconds }}
  activeDeadlineSeconds: {{ . | int64 }}
  {{- end }}
  {{- if not (kindIs "string" $job.ttlSecondsAfterFinished) }}
  ttlSecondsAfterFinished: {{ $job.ttlSecondsAfterFinished | int64 }}
  {{- end }}
  template:
    metadata:
      labels:
        {{- include "cutover.commonLabels" $root | nindent 8 }}
        app.kubernetes.io/component: {{ .command }}
    spec:
      restartPolicy: Never
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      serviceAccountName: {{ include "cutover.serviceAccountName" $root }}
      automountServiceAccountToken: {{ $root.Values.serviceAccount.automountToken }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .command }}
          image: {{ include "cutover.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args:
            - {{ .command }}
            {{- if gt $n 1 }}
            - --shard
            - {{ printf "$(JOB_COMPLETION_INDEX)/%d" $n | quote }}
            {{- end }}
            {{- range $job.args }}
            - {{ . | quote }}
            {{- end }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          env:
            {{- if gt $n 1 }}
            - name: JOB_COMPLETION_INDEX
              valueFrom:
                fieldRef:
                  fieldPath: metadata.annotations['batch.kubernetes.io/job-completion-index']
            {{- end }}
            {{- include "cutover.env" $root | nindent 12 }}
            {{- include "cutover.migrationDbEnv" (dict "side" "V1" "db" $m.v1Database) | nindent 12 }}
            {{- include "cutover.migrationDbEnv" (dict "side" "V2" "db" $m.v2Database) | nindent 12 }}
            {{- include "cutover.recordDbEnv" $root | nindent 12 }}
          resources:
            {{- toYaml $job.resources | nindent 12 }}
          volumeMounts:
            {{- include "cutover.volumeMounts" $root | nindent 12 }}
      volumes:
        {{- include "cutover.volumes" $root | nindent 8 }}
      {{- with $root.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}
