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
# The project's Cloud Billing budget. Cloud Billing publishes the project's cost in the current month to the topic of
# the billing-budget service (SERVICE_TABLE in shared/stages.ts) several times a day, whatever the thresholds; the
# service's function (functions/services/record_billing_budget.ts) records the figures and alerts once per month on
# each threshold crossed. The tenants' own monthly budgets are the API's and the budget check's (budget-check).
# ---------------------------------------------------------------------------------------------------------------------

locals {
  billing_budget_service = "billing-budget"
  billing_budgets        = var.billing_account == null ? {} : { project = var.billing_account }
}

resource "google_billing_budget" "project" {
  for_each = local.billing_budgets

  billing_account = each.value
  display_name    = "${var.name_prefix} ${var.project_id}"

  budget_filter {
    projects        = ["projects/${data.google_project.current.number}"]
    calendar_period = "MONTH"
  }

  amount {
    specified_amount {
      currency_code = var.billing_budget.currency_code
      units         = tostring(floor(var.billing_budget.amount))
      nanos         = floor((var.billing_budget.amount - floor(var.billing_budget.amount)) * 1000000000)
    }
  }

  dynamic "threshold_rules" {
    for_each = var.billing_budget.threshold_percents

    content {
      threshold_percent = threshold_rules.value
      spend_basis       = "CURRENT_SPEND"
    }
  }

  all_updates_rule {
    pubsub_topic   = google_pubsub_topic.service[local.billing_budget_service].id
    schema_version = "1.0"
  }

  depends_on = [google_project_service.enabled, google_pubsub_topic_iam_member.billing_budget_publisher]

  lifecycle {
    precondition {
      condition     = contains(keys(var.services), local.billing_budget_service)
      error_message = "The billing budget notifies the ${local.billing_budget_service} service, which var.services lacks."
    }
  }
}

# Cloud Billing publishes as this Google-managed account. The Budget API grants it when the topic is connected; the
# same binding is declared here so every plan checks it is there.
resource "google_pubsub_topic_iam_member" "billing_budget_publisher" {
  for_each = local.billing_budgets

  project = var.project_id
  topic   = google_pubsub_topic.service[local.billing_budget_service].name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:billing-budget-alert@system.gserviceaccount.com"
}
