# Copyright 2025 AIPROD authors
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

# ---------------------------------------------------------------------------------------------------------------------
# Log-based metrics and alert policies. The functions write one JSON line per event to stdout (shared/logging.ts), which
# Cloud Logging parses into jsonPayload: severity, message, the trace, and the fields jobId, stage, step, service,
# durationMs, costUsd, jobCostUsd, for the DR check drReport, alert, rpoSec, rtoSec, and for the budget alerts alert,
# tenant, thresholdPercent. The filters below read those.
# ---------------------------------------------------------------------------------------------------------------------

locals {
  # Lines written by this deployment's functions (2nd gen functions log as Cloud Run revisions).
  function_logs = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=~\"^${var.name_prefix}-\""

  alert_documentation = "AIPROD (${var.name_prefix}) in ${var.project_id}. Logs: Cloud Logging, resource.labels.service_name=~\"^${var.name_prefix}-\"; a job's lines carry jsonPayload.jobId."
}

resource "google_logging_metric" "errors" {
  project     = var.project_id
  name        = "${var.name_prefix}/errors"
  description = "ERROR (and worse) lines of the AIPROD functions, by function and stage."
  filter      = "${local.function_logs} AND severity>=ERROR"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"

    labels {
      key         = "service"
      value_type  = "STRING"
      description = "The function (Cloud Run service) that logged the line."
    }
    labels {
      key         = "stage"
      value_type  = "STRING"
      description = "The pipeline state of the job the line is about, if any."
    }
  }

  label_extractors = {
    service = "EXTRACT(resource.labels.service_name)"
    stage   = "EXTRACT(jsonPayload.stage)"
  }
}

resource "google_logging_metric" "stage_latency" {
  project     = var.project_id
  name        = "${var.name_prefix}/stage_latency"
  description = "How long each run of a stage's or step's work took (the stage runner's line after each commit)."
  filter      = "${local.function_logs} AND jsonPayload.stage:* AND jsonPayload.durationMs>=0"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "ms"

    labels {
      key        = "stage"
      value_type = "STRING"
    }
    labels {
      key        = "step"
      value_type = "STRING"
    }
  }

  value_extractor = "EXTRACT(jsonPayload.durationMs)"
  label_extractors = {
    stage = "EXTRACT(jsonPayload.stage)"
    step  = "EXTRACT(jsonPayload.step)"
  }

  # 10 ms to about 20 min.
  bucket_options {
    exponential_buckets {
      num_finite_buckets = 40
      growth_factor      = 1.4
      scale              = 10
    }
  }
}

resource "google_logging_metric" "cost_per_job" {
  project     = var.project_id
  name        = "${var.name_prefix}/cost_per_job"
  description = "What each delivered job cost, in USD (the job's ledger total when its delivery closes)."
  filter      = "${local.function_logs} AND jsonPayload.stage=\"DELIVERED\" AND jsonPayload.jobCostUsd>=0"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "{USD}"
  }

  value_extractor = "EXTRACT(jsonPayload.jobCostUsd)"

  # A tenth of a cent to about 1000 USD.
  bucket_options {
    exponential_buckets {
      num_finite_buckets = 20
      growth_factor      = 2
      scale              = 0.001
    }
  }
}

resource "google_logging_metric" "dr_check_alerts" {
  project     = var.project_id
  name        = "${var.name_prefix}/dr_check_alerts"
  description = "DR checks that failed to verify a backup, or found the last verified backup older than 24 h."
  filter      = "${local.function_logs} AND jsonPayload.alert=\"dr-check\""

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }
}

resource "google_logging_metric" "dr_checks" {
  project     = var.project_id
  name        = "${var.name_prefix}/dr_checks"
  description = "DR checks that wrote a report, whatever their outcome."
  filter      = "${local.function_logs} AND jsonPayload.drReport:*"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }
}

# A tenant's spending this month crossed 50, 90 or 100 % of its budget (functions/services/check_budgets.ts).
resource "google_logging_metric" "budget_alerts" {
  project     = var.project_id
  name        = "${var.name_prefix}/budget_alerts"
  description = "Thresholds of a tenant's monthly budget its spending crossed, by tenant and threshold (percent)."
  filter      = "${local.function_logs} AND jsonPayload.alert=\"budget\""

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"

    labels {
      key        = "tenant"
      value_type = "STRING"
    }
    labels {
      key        = "threshold"
      value_type = "INT64"
    }
  }

  label_extractors = {
    tenant    = "EXTRACT(jsonPayload.tenant)"
    threshold = "EXTRACT(jsonPayload.thresholdPercent)"
  }
}

# The project's cost crossed a threshold of its Cloud Billing budget (functions/services/record_billing_budget.ts).
resource "google_logging_metric" "billing_budget_alerts" {
  project     = var.project_id
  name        = "${var.name_prefix}/billing_budget_alerts"
  description = "Thresholds of the project's Cloud Billing budget its cost crossed, by threshold (percent)."
  filter      = "${local.function_logs} AND jsonPayload.alert=\"billing-budget\""

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"

    labels {
      key        = "threshold"
      value_type = "INT64"
    }
  }

  label_extractors = {
    threshold = "EXTRACT(jsonPayload.thresholdPercent)"
  }
}

resource "google_monitoring_alert_policy" "error_rate" {
  project               = var.project_id
  display_name          = "${var.name_prefix}: error rate"
  combiner              = "OR"
  notification_channels = var.notification_channels
  severity              = "ERROR"

  conditions {
    display_name = "More than ${var.error_alert_threshold} ERROR lines in ${var.error_alert_window}"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.errors.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.error_alert_threshold
      duration        = "0s"

      aggregations {
        alignment_period     = var.error_alert_window
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.service"]
      }
    }
  }

  documentation {
    content   = "${local.alert_documentation} A function logs errors faster than usual: a retried failure, a dead letter, a stalled job or an undecodable message."
    mime_type = "text/markdown"
  }
}

# One policy per stage and step, each against its own timeout (an alert policy holds at most 6 conditions).
resource "google_monitoring_alert_policy" "stage_latency" {
  for_each = local.pipeline_functions

  project               = var.project_id
  display_name          = "${var.name_prefix}: ${each.key} latency"
  combiner              = "OR"
  notification_channels = var.notification_channels
  severity              = "WARNING"

  conditions {
    display_name = "95th percentile of ${each.value.function_name} above ${var.latency_alert_ratio * 100}% of its ${each.value.timeout_sec} s timeout"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.stage_latency.name}\" AND resource.type=\"cloud_run_revision\" AND resource.label.service_name=\"${local.pushed_function_names[each.key]}\""
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.timeout_sec * 1000 * var.latency_alert_ratio
      duration        = "0s"

      aggregations {
        alignment_period     = "600s"
        per_series_aligner   = "ALIGN_PERCENTILE_95"
        cross_series_reducer = "REDUCE_MAX"
      }
    }
  }

  documentation {
    content   = "${local.alert_documentation} ${each.value.function_name} runs close to its timeout; runs that exceed it are redelivered and may be dead-lettered."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "cost_per_job" {
  project               = var.project_id
  display_name          = "${var.name_prefix}: cost per job"
  combiner              = "OR"
  notification_channels = var.notification_channels
  severity              = "WARNING"

  conditions {
    display_name = "95th percentile of delivered jobs' cost above ${var.cost_per_job_alert_usd} USD"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.cost_per_job.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.cost_per_job_alert_usd
      duration        = "0s"

      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_PERCENTILE_95"
        cross_series_reducer = "REDUCE_MAX"
      }
    }
  }

  documentation {
    content   = "${local.alert_documentation} Delivered jobs cost more than expected: see each job's costLedger."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "dead_letter_depth" {
  project               = var.project_id
  display_name          = "${var.name_prefix}: dead letters"
  combiner              = "OR"
  notification_channels = var.notification_channels
  severity              = "ERROR"

  conditions {
    display_name = "More than ${var.dead_letter_alert_threshold} messages in ${google_pubsub_subscription.dead_letter_archive.name}"

    condition_threshold {
      filter          = "metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.type=\"pubsub_subscription\" AND resource.label.subscription_id=\"${google_pubsub_subscription.dead_letter_archive.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.dead_letter_alert_threshold
      duration        = "0s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    content   = "${local.alert_documentation} Messages were dead-lettered. Inspect them with `gcloud pubsub subscriptions pull ${google_pubsub_subscription.dead_letter_archive.name} --auto-ack` (which also clears this alert)."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "dr_check" {
  project               = var.project_id
  display_name          = "${var.name_prefix}: DR check"
  combiner              = "OR"
  notification_channels = var.notification_channels
  severity              = "CRITICAL"

  conditions {
    display_name = "A DR check failed, or the last verified backup is older than 24 h"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.dr_check_alerts.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  conditions {
    display_name = "No DR check reported for ${var.dr_check_absence}"

    condition_absent {
      filter   = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.dr_checks.name}\" AND resource.type=\"cloud_run_revision\""
      duration = var.dr_check_absence

      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    content   = "${local.alert_documentation} See the latest document of the dr_reports collection: its failures, rpoSec and rtoSec."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "budget" {
  project               = var.project_id
  display_name          = "${var.name_prefix}: budgets"
  combiner              = "OR"
  notification_channels = var.notification_channels
  severity              = "WARNING"

  conditions {
    display_name = "A tenant's spending crossed a threshold of its monthly budget"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.budget_alerts.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period     = "900s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.tenant", "metric.label.threshold"]
      }
    }
  }

  conditions {
    display_name = "The project's cost crossed a threshold of its Cloud Billing budget"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.billing_budget_alerts.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period     = "900s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.threshold"]
      }
    }
  }

  documentation {
    content   = "${local.alert_documentation} A budget threshold was crossed: see the latest budget_reports document (per tenant: spent, reserved, paused jobs) or billing_budget_reports (the project). At 100 % a tenant's new jobs are refused and its queued ones paused until PUT /v1/settings/budget raises the limit."
    mime_type = "text/markdown"
  }
}
