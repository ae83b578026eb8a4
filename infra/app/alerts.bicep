// Application Insights log search alert rules on the completion event every top-level orchestrator logs once
// (BackupSiteContent, VerifyBackup, RestoreSiteContent): a trace whose message is "SiteBackupCompletion "
// followed by one JSON object (README.md, "Alerts", defines every field). The event is a plain message, not
// custom dimensions, because the Java worker forwards only a log record's message text to the host.
// - backup-problems: a backup or verify that ended Failed or CompletedWithProblems (one alert per instance);
//   also an orchestration the Durable extension logged as failed without a completion event (a crash).
// - backup-stale: a job of BACKUP_JOBS with no completed backup in the last 26 hours (one alert per job);
//   created only when jobs are configured.
// Both notify actionGroupId when it is set; with it empty they fire in the portal only and no action group is
// created.
param appInsightsName string
param location string
param tags object
@description('Resource id of an existing action group, or empty for rules without actions.')
param actionGroupId string
@description('Names of the scheduled jobs (BACKUP_JOBS) the staleness rule watches.')
param jobNames array

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

var actions = {
  actionGroups: empty(actionGroupId) ? [] : [ actionGroupId ]
}

// A completion event is logged once per instance, but a host that dies after logging it and before saving the
// episode runs the last episode again: every query keeps one row per instance (arg_max).
var problemsQuery = '''
let completions = traces
| where message startswith "SiteBackupCompletion {"
| extend e = parse_json(substring(message, indexof(message, "{")))
| extend eventKind = tostring(e.kind), outcome = tostring(e.outcome), instance = tostring(e.instance)
| where eventKind in ("backup", "verify");
let reported = completions
| where outcome != "Succeeded"
| summarize arg_max(timestamp, *) by instance
| project timestamp, instance, eventKind, job = tostring(e.job), outcome, problems = tolong(e.problems), reason = tostring(e.reason);
let unreported = traces
| where severityLevel >= 3 and message has "failed with an error"
| where tostring(customDimensions.prop__functionType) == "Orchestrator"
| where tostring(customDimensions.prop__functionName) in ("BackupSiteContent", "VerifyBackup")
| extend instance = tostring(customDimensions.prop__instanceId)
| join kind=leftanti completions on instance
| summarize arg_max(timestamp, *) by instance
| project timestamp, instance, eventKind = tostring(customDimensions.prop__functionName), job = "", outcome = "Failed", problems = long(null), reason = tostring(customDimensions.prop__reason);
union reported, unreported
'''

// __JOBS__ is replaced by the job names as a JSON array, which KQL reads as a dynamic literal.
var staleQuery = '''
let expected = dynamic(__JOBS__);
let completed = traces
| where message startswith "SiteBackupCompletion {"
| extend e = parse_json(substring(message, indexof(message, "{")))
| where tostring(e.kind) == "backup" and tostring(e.outcome) in ("Succeeded", "CompletedWithProblems")
| summarize lastCompleted = max(timestamp) by job = tostring(e.job);
print job = expected
| mv-expand job to typeof(string)
| join kind=leftouter completed on job
| where isnull(lastCompleted) or lastCompleted < ago(26h)
| project job, lastCompleted
'''

resource backupProblems 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'backup-problems-${appInsights.name}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Site backup failed or finished with problems'
    description: 'A BackupSiteContent or VerifyBackup instance ended Failed or CompletedWithProblems (its SiteBackupCompletion event), or failed without logging one.'
    severity: 2
    enabled: true
    scopes: [ appInsights.id ]
    // Windows overlap (30 min every 15) so an event ingested late is still seen; the rule is stateful per
    // instance, so the overlap does not notify twice.
    evaluationFrequency: 'PT15M'
    windowSize: 'PT30M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: problemsQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'instance', operator: 'Include', values: [ '*' ] }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

resource backupStale 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = if (!empty(jobNames)) {
  name: 'backup-stale-${appInsights.name}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Site backup job without a completed backup in 26 hours'
    description: 'A job of BACKUP_JOBS has no SiteBackupCompletion event of kind backup with outcome Succeeded or CompletedWithProblems in the last 26 hours.'
    severity: 1
    enabled: true
    scopes: [ appInsights.id ]
    evaluationFrequency: 'PT1H'
    // Two days of data, so a job that last completed 26 to 48 hours ago shows its time, and one with nothing
    // in two days shows none; both alert.
    windowSize: 'P2D'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: replace(staleQuery, '__JOBS__', string(jobNames))
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'job', operator: 'Include', values: [ '*' ] }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}
