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
# Project
# ---------------------------------------------------------------------------------------------------------------------

variable "project_id" {
  description = "Google Cloud project to deploy AIPROD into."
  type        = string
}

variable "region" {
  description = "Region for the functions, the buckets (unless overridden) and Firestore (unless overridden)."
  type        = string
  default     = "us-central1"
}

variable "name_prefix" {
  description = "Prefix of every resource name this configuration chooses (functions, service accounts, buckets, subscriptions). Topic names come from `stages` and `steps`, because the code publishes to them by name."
  type        = string
  default     = "aiprod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-20 characters: lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "labels" {
  description = "Labels added to every resource that takes labels."
  type        = map(string)
  default = {
    app = "aiprod"
  }
}

variable "activate_apis" {
  description = "APIs this deployment needs; enabled, and left enabled on destroy."
  type        = list(string)
  default = [
    "artifactregistry.googleapis.com",
    "billingbudgets.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "cloudscheduler.googleapis.com",
    "firebase.googleapis.com",
    "firebaserules.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "identitytoolkit.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "storage.googleapis.com",
  ]
}

# ---------------------------------------------------------------------------------------------------------------------
# Pipeline: mirrors shared/stages.ts (STAGE_TABLE, STEP_TABLE, DEAD_LETTER, DELIVERY_POLICY, SERVICE_TABLE).
# test/terraform checks the defaults against the tables, so change both together.
# ---------------------------------------------------------------------------------------------------------------------

variable "stages" {
  description = "One entry per pipeline state (key = state name): the topic a job's message is published to when it enters the state, the function (entry point) that handles it, its timeout in seconds and its memory in MiB."
  type = map(object({
    topic         = string
    function_name = string
    timeout_sec   = number
    memory_mib    = number
  }))
  default = {
    SUBMITTED = {
      topic         = "aiprod-submitted"
      function_name = "sanitizeInput"
      timeout_sec   = 60
      memory_mib    = 256
    }
    INPUT_SANITIZED = {
      topic         = "aiprod-input-sanitized"
      function_name = "directCreative"
      timeout_sec   = 120
      memory_mib    = 512
    }
    CREATIVE_DIRECTION = {
      topic         = "aiprod-creative-direction"
      function_name = "reviewStoryboard"
      timeout_sec   = 60
      memory_mib    = 256
    }
    WAITING_APPROVAL = {
      topic         = "aiprod-waiting-approval"
      function_name = "requestApproval"
      timeout_sec   = 60
      memory_mib    = 256
    }
    RENDERING = {
      topic         = "aiprod-rendering"
      function_name = "renderVideo"
      timeout_sec   = 300
      memory_mib    = 1024
    }
    QA_TECH = {
      topic         = "aiprod-qa-tech"
      function_name = "checkTechnicalQuality"
      timeout_sec   = 300
      memory_mib    = 1024
    }
    QA_SEMANTIC = {
      topic         = "aiprod-qa-semantic"
      function_name = "checkSemanticQuality"
      timeout_sec   = 300
      memory_mib    = 512
    }
    DELIVERED = {
      topic         = "aiprod-delivered"
      function_name = "closeDeliveredJob"
      timeout_sec   = 120
      memory_mib    = 256
    }
    ERROR = {
      topic         = "aiprod-error"
      function_name = "closeFailedJob"
      timeout_sec   = 120
      memory_mib    = 256
    }
    CANCELLED = {
      topic         = "aiprod-cancelled"
      function_name = "closeCancelledJob"
      timeout_sec   = 120
      memory_mib    = 256
    }
  }

  validation {
    condition     = length(distinct([for s in values(var.stages) : s.topic])) == length(var.stages)
    error_message = "Every stage needs its own topic."
  }

  validation {
    condition     = length(distinct([for s in values(var.stages) : s.function_name])) == length(var.stages)
    error_message = "Every stage needs its own function."
  }

  validation {
    condition     = alltrue([for s in values(var.stages) : s.timeout_sec >= 1 && s.timeout_sec <= 3600])
    error_message = "timeout_sec must be between 1 and 3600 (the limit of HTTP-invoked 2nd gen functions)."
  }

  validation {
    condition     = alltrue([for s in values(var.stages) : s.memory_mib >= 128 && s.memory_mib <= 32768])
    error_message = "memory_mib must be between 128 and 32768."
  }

  validation {
    condition     = !contains(keys(var.stages), "DEAD_LETTER")
    error_message = "DEAD_LETTER is the key of the dead-letter handler in local.pushed_functions; no stage may use it."
  }
}

variable "steps" {
  description = "One entry per step a state fans out into (key = step kind): the state it belongs to (a key of `stages`), its topic, its function (entry point), timeout in seconds and memory in MiB. Each step is fed by a push subscription exactly like a stage. Keys must differ from the stage keys and DEAD_LETTER, and topics and functions from those of the stages; pubsub.tf checks this on plan (a variable validation may only refer to other variables from Terraform 1.9)."
  type = map(object({
    state         = string
    topic         = string
    function_name = string
    timeout_sec   = number
    memory_mib    = number
  }))
  default = {
    scene = {
      state         = "RENDERING"
      topic         = "aiprod-render-scene"
      function_name = "renderScene"
      timeout_sec   = 300
      memory_mib    = 2048
    }
    assemble = {
      state         = "RENDERING"
      topic         = "aiprod-assemble-video"
      function_name = "assembleVideo"
      timeout_sec   = 300
      memory_mib    = 2048
    }
    generate = {
      state         = "RENDERING"
      topic         = "aiprod-generate-media"
      function_name = "generateSceneMedia"
      timeout_sec   = 120
      memory_mib    = 512
    }
  }

  validation {
    condition     = length(distinct([for s in values(var.steps) : s.topic])) == length(var.steps)
    error_message = "Every step needs its own topic."
  }

  validation {
    condition     = length(distinct([for s in values(var.steps) : s.function_name])) == length(var.steps)
    error_message = "Every step needs its own function."
  }

  validation {
    condition     = alltrue([for s in values(var.steps) : s.timeout_sec >= 1 && s.timeout_sec <= 3600])
    error_message = "timeout_sec must be between 1 and 3600 (the limit of HTTP-invoked 2nd gen functions)."
  }

  validation {
    condition     = alltrue([for s in values(var.steps) : s.memory_mib >= 128 && s.memory_mib <= 32768])
    error_message = "memory_mib must be between 128 and 32768."
  }

  validation {
    condition     = !contains(keys(var.steps), "DEAD_LETTER")
    error_message = "DEAD_LETTER is the key of the dead-letter handler in local.pushed_functions; no step may use it."
  }
}

variable "services" {
  description = "One entry per service beside the pipeline (key = service name, SERVICE_TABLE in shared/stages.ts): its topic, function (entry point), timeout in seconds and memory in MiB like a stage, the delivery policy of its push subscription, the topic it forwards undeliverable messages to (null: none, it retries until message_retention_duration), and, for a scheduled service, the cron and time zone Cloud Scheduler publishes a firing to its topic on. Keys must differ from the stage and step keys and DEAD_LETTER (pubsub.tf checks this on plan)."
  type = map(object({
    topic         = string
    function_name = string
    timeout_sec   = number
    memory_mib    = number
    schedule = optional(object({
      cron      = string
      time_zone = string
    }))
    delivery = object({
      max_delivery_attempts = number
      minimum_backoff_sec   = number
      maximum_backoff_sec   = number
    })
    dead_letter_topic = optional(string)
  }))
  default = {
    stuck-jobs = {
      topic         = "aiprod-sweep-stuck-jobs"
      function_name = "sweepStuckJobs"
      timeout_sec   = 120
      memory_mib    = 256
      schedule = {
        cron      = "*/5 * * * *"
        time_zone = "Etc/UTC"
      }
      delivery = {
        max_delivery_attempts = 5
        minimum_backoff_sec   = 10
        maximum_backoff_sec   = 600
      }
      dead_letter_topic = "aiprod-dead-letter"
    }
    dr-check = {
      topic         = "aiprod-dr-check"
      function_name = "checkDisasterRecovery"
      timeout_sec   = 540
      memory_mib    = 512
      schedule = {
        cron      = "0 */6 * * *"
        time_zone = "Etc/UTC"
      }
      delivery = {
        max_delivery_attempts = 5
        minimum_backoff_sec   = 60
        maximum_backoff_sec   = 600
      }
      dead_letter_topic = "aiprod-dead-letter"
    }
    webhook-events = {
      topic         = "aiprod-webhook-events"
      function_name = "fanOutWebhookEvent"
      timeout_sec   = 60
      memory_mib    = 256
      delivery = {
        max_delivery_attempts = 5
        minimum_backoff_sec   = 1
        maximum_backoff_sec   = 60
      }
      dead_letter_topic = "aiprod-dead-letter"
    }
    webhook-deliveries = {
      topic         = "aiprod-webhook-deliveries"
      function_name = "deliverWebhook"
      timeout_sec   = 60
      memory_mib    = 256
      delivery = {
        max_delivery_attempts = 6
        minimum_backoff_sec   = 1
        maximum_backoff_sec   = 30
      }
      dead_letter_topic = "aiprod-webhook-dead-letter"
    }
    webhook-dead-letters = {
      topic         = "aiprod-webhook-dead-letter"
      function_name = "failWebhookDelivery"
      timeout_sec   = 60
      memory_mib    = 256
      delivery = {
        max_delivery_attempts = 5
        minimum_backoff_sec   = 10
        maximum_backoff_sec   = 600
      }
    }
    budget-check = {
      topic         = "aiprod-budget-check"
      function_name = "checkBudgets"
      timeout_sec   = 120
      memory_mib    = 256
      schedule = {
        cron      = "*/15 * * * *"
        time_zone = "Etc/UTC"
      }
      delivery = {
        max_delivery_attempts = 5
        minimum_backoff_sec   = 10
        maximum_backoff_sec   = 600
      }
      dead_letter_topic = "aiprod-dead-letter"
    }
    billing-budget = {
      topic         = "aiprod-billing-budget"
      function_name = "recordBillingBudget"
      timeout_sec   = 60
      memory_mib    = 256
      delivery = {
        max_delivery_attempts = 5
        minimum_backoff_sec   = 10
        maximum_backoff_sec   = 600
      }
      dead_letter_topic = "aiprod-dead-letter"
    }
  }

  validation {
    condition     = length(distinct([for s in values(var.services) : s.topic])) == length(var.services)
    error_message = "Every service needs its own topic."
  }

  validation {
    condition     = length(distinct([for s in values(var.services) : s.function_name])) == length(var.services)
    error_message = "Every service needs its own function."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.timeout_sec >= 1 && s.timeout_sec <= 3600 && s.memory_mib >= 128 && s.memory_mib <= 32768])
    error_message = "A service's timeout_sec must be between 1 and 3600 and its memory_mib between 128 and 32768."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.delivery.max_delivery_attempts >= 5 && s.delivery.max_delivery_attempts <= 100])
    error_message = "Pub/Sub accepts 5 to 100 delivery attempts."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.delivery.minimum_backoff_sec >= 0 && s.delivery.minimum_backoff_sec <= s.delivery.maximum_backoff_sec && s.delivery.maximum_backoff_sec <= 600])
    error_message = "A service's backoff must satisfy 0 <= minimum_backoff_sec <= maximum_backoff_sec <= 600 (Pub/Sub's limits)."
  }

  validation {
    condition     = alltrue([for s in values(var.services) : s.schedule == null || length(split(" ", trimspace(try(s.schedule.cron, "")))) == 5])
    error_message = "A schedule's cron must have the 5 fields Cloud Scheduler takes (minute hour day-of-month month day-of-week)."
  }

  validation {
    condition     = !contains(keys(var.services), "DEAD_LETTER")
    error_message = "DEAD_LETTER is the key of the dead-letter handler in local.pushed_functions; no service may use it."
  }
}

variable "scheduler_region" {
  description = "Region of the Cloud Scheduler jobs that fire the scheduled services; null means the region."
  type        = string
  default     = null
}

variable "dead_letter" {
  description = "The dead-letter topic every stage and step subscription forwards undeliverable messages to, and the function that fails their jobs."
  type = object({
    topic         = string
    function_name = string
    timeout_sec   = number
    memory_mib    = number
  })
  default = {
    topic         = "aiprod-dead-letter"
    function_name = "failDeadLetteredJob"
    timeout_sec   = 60
    memory_mib    = 256
  }
}

variable "max_delivery_attempts" {
  description = "Deliveries of one message to a stage or step before Pub/Sub forwards it to the dead-letter topic (DELIVERY_POLICY.maxDeliveryAttempts)."
  type        = number
  default     = 5

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "Pub/Sub accepts 5 to 100 delivery attempts."
  }
}

variable "minimum_backoff" {
  description = "Shortest wait before a failed delivery is retried (DELIVERY_POLICY.minimumBackoffSec)."
  type        = string
  default     = "10s"
}

variable "maximum_backoff" {
  description = "Longest wait before a failed delivery is retried (DELIVERY_POLICY.maximumBackoffSec)."
  type        = string
  default     = "600s"
}

variable "message_retention_duration" {
  description = "How long a stage or step subscription keeps an unacknowledged message (at most 7 days)."
  type        = string
  default     = "604800s"
}

variable "dead_letter_retention_duration" {
  description = "How long the dead-letter archive subscription keeps every dead letter, handled or not (at most 7 days)."
  type        = string
  default     = "604800s"
}

# ---------------------------------------------------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------------------------------------------------

variable "runtime" {
  description = "Cloud Functions runtime of every function."
  type        = string
  default     = "nodejs20"
}

variable "source_dir" {
  description = "Root of the built repository (package.json, package-lock.json, build/, assets/), zipped into the source archive when source_archive_path is not set. Defaults to the parent of this folder. Run `npm run build` first."
  type        = string
  default     = null
}

variable "source_archive_path" {
  description = "A source archive built beforehand (the Cloud Build pipeline zips one); when set, source_dir is not read."
  type        = string
  default     = null
}

variable "source_archive_excludes" {
  description = "Paths (relative to source_dir, globs allowed) left out of the source archive."
  type        = list(string)
  default = [
    ".git",
    ".git/**",
    ".aiprod",
    ".aiprod/**",
    ".ci",
    ".ci/**",
    "bench",
    "bench/**",
    "dist",
    "dist/**",
    "examples",
    "examples/**",
    "local",
    "local/**",
    "node_modules",
    "node_modules/**",
    "terraform",
    "terraform/**",
    "test",
    "test/**",
    "**/*.log",
  ]
}

variable "source_bucket" {
  description = "Existing bucket to upload the source archive to; null creates <project_id>-<name_prefix>-source."
  type        = string
  default     = null
}

variable "build_environment_variables" {
  description = "Build-time environment of every function. The archive ships the compiled build/, so the Node.js buildpack is told not to run package.json scripts (an empty GOOGLE_NODE_RUN_SCRIPTS)."
  type        = map(string)
  default = {
    GOOGLE_NODE_RUN_SCRIPTS = ""
  }
}

variable "function_environment_variables" {
  description = "Extra runtime environment of every function, merged over the ones this configuration sets (AIPROD_MODE, GOOGLE_CLOUD_PROJECT, AIPROD_MEDIA_BUCKET)."
  type        = map(string)
  default     = {}
}

variable "function_max_instance_count" {
  description = "Most instances of one stage or step function at a time."
  type        = number
  default     = 10
}

variable "function_min_instance_count" {
  description = "Instances of every stage and step function kept warm."
  type        = number
  default     = 0
}

variable "stage_ingress_settings" {
  description = "Ingress of the stage, step and dead-letter functions. Pub/Sub push from the same project counts as internal traffic."
  type        = string
  default     = "ALLOW_INTERNAL_ONLY"

  validation {
    condition     = contains(["ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"], var.stage_ingress_settings)
    error_message = "stage_ingress_settings must be ALLOW_ALL, ALLOW_INTERNAL_ONLY or ALLOW_INTERNAL_AND_GCLB."
  }
}

variable "api_function" {
  description = "The HTTP API function: its entry point, timeout, memory, instance limits and ingress."
  type = object({
    entry_point        = string
    timeout_sec        = number
    memory_mib         = number
    max_instance_count = number
    min_instance_count = number
    ingress_settings   = string
  })
  default = {
    entry_point        = "api"
    timeout_sec        = 60
    memory_mib         = 512
    max_instance_count = 10
    min_instance_count = 0
    ingress_settings   = "ALLOW_ALL"
  }
}

variable "api_invokers" {
  description = "Members allowed to reach the API (roles/run.invoker on its service). The API authenticates every caller itself (Firebase ID tokens or API keys, functions/api/authenticate.ts), so the default lets anyone reach it; narrow it (e.g. [\"group:ops@example.com\"]) to keep it private as well."
  type        = list(string)
  default     = ["allUsers"]
}

variable "api_cors_origins" {
  description = "Origins (scheme://host[:port], https only) whose browser pages may call the API; any other origin gets no CORS headers."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for origin in var.api_cors_origins : can(regex("^https://[a-z0-9.-]+(:[0-9]+)?$", origin))])
    error_message = "Each CORS origin must be an https origin with no path, e.g. https://app.example.com."
  }
}

variable "api_rate_limits" {
  description = "Requests per minute the API takes from one caller (API key or signed-in user) and from one client address; counted in Firestore, so they hold across instances."
  type = object({
    per_principal = number
    per_ip        = number
  })
  default = {
    per_principal = 600
    per_ip        = 1200
  }
}

variable "firestore_rules_path" {
  description = "The Firestore security rules file to release on the (default) database (tested on the emulator by test/firestore_rules.test.ts). Defaults to firestore.rules in the parent of this folder."
  type        = string
  default     = null
}

variable "job_list_index_fields" {
  description = "The mixes of filter fields the job list is indexed for (after tenant, before createdAt descending). Firestore refuses a filtered list whose mix has no index."
  type        = list(list(string))
  default = [
    [],
    ["state"],
    ["brief.preset"],
    ["totalCostUsd"],
    ["state", "brief.preset"],
    ["state", "totalCostUsd"],
    ["brief.preset", "totalCostUsd"],
    ["state", "brief.preset", "totalCostUsd"],
  ]
}

variable "enable_firebase" {
  description = "Enable Firebase on the project (needed for Firebase Authentication sign-in). Set false when the project is a Firebase project already."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------------------------------------------------------------
# Service accounts
# ---------------------------------------------------------------------------------------------------------------------

variable "service_account_id" {
  description = "Account id of the service account the functions run as and Pub/Sub pushes as (OIDC token); null means <name_prefix>-pipeline."
  type        = string
  default     = null
}

variable "service_account_project_roles" {
  description = "Project-level roles of the pipeline service account. Topic, bucket and invoker rights are granted on the resources themselves."
  type        = list(string)
  default = [
    "roles/datastore.user",
    # The DR check starts managed exports and imports.
    "roles/datastore.importExportAdmin",
  ]
}

variable "create_build_service_account" {
  description = "Create a service account for Cloud Build to build the functions with (logs, Artifact Registry, source bucket). False leaves the project's default build service account in use."
  type        = bool
  default     = true
}

variable "build_service_account_roles" {
  description = "Project-level roles of the build service account."
  type        = list(string)
  default = [
    "roles/logging.logWriter",
    "roles/artifactregistry.writer",
  ]
}

variable "grant_pubsub_token_creator" {
  description = "Let the Pub/Sub service agent mint OIDC tokens for the pipeline service account (needed by projects created before 8 April 2021, harmless after)."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------------------------------------------------

variable "media_bucket_name" {
  description = "Name of the media bucket (storyboards, renders, deliveries); null means <project_id>-<name_prefix>-media."
  type        = string
  default     = null
}

variable "bucket_location" {
  description = "Location of the buckets; null means the region."
  type        = string
  default     = null
}

variable "scratch_prefix" {
  description = "Object prefix of scratch files in the media bucket, deleted scratch_retention_days after they were written."
  type        = string
  default     = "scratch/"
}

variable "scratch_retention_days" {
  description = "Age in days at which scratch objects are deleted."
  type        = number
  default     = 7
}

variable "noncurrent_version_retention_days" {
  description = "Days an overwritten or deleted media object's old version is kept (the bucket is versioned)."
  type        = number
  default     = 30
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete non-empty buckets."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------------------------------------------------
# Firestore
# ---------------------------------------------------------------------------------------------------------------------

variable "create_firestore_database" {
  description = "Create the project's (default) Firestore database in native mode. Set false when the project already has one (a project has only one (default) database)."
  type        = bool
  default     = true
}

variable "firestore_location_id" {
  description = "Location of the Firestore database; null means the region."
  type        = string
  default     = null
}

variable "firestore_deletion_policy" {
  description = "What `terraform destroy` does to the database: ABANDON (keep it) or DELETE."
  type        = string
  default     = "ABANDON"

  validation {
    condition     = contains(["ABANDON", "DELETE"], var.firestore_deletion_policy)
    error_message = "firestore_deletion_policy must be ABANDON or DELETE."
  }
}

variable "firestore_delete_protection" {
  description = "Turn on Firestore delete protection for the database."
  type        = bool
  default     = true
}

variable "dr_scratch_database" {
  description = "Firestore database the DR check restores each backup into (emptied before and after every check)."
  type        = string
  default     = "aiprod-dr-scratch"
}

# ---------------------------------------------------------------------------------------------------------------------
# Backups (backups.tf)
# ---------------------------------------------------------------------------------------------------------------------

variable "backup_bucket_name" {
  description = "Name of the bucket the DR check exports Firestore into; null means <project_id>-<name_prefix>-backups."
  type        = string
  default     = null
}

variable "backup_retention_days" {
  description = "Days a backup cannot be deleted or overwritten (the bucket's retention policy)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1
    error_message = "backup_retention_days must be at least 1."
  }
}

variable "backup_coldline_after_days" {
  description = "Age in days at which a backup moves to Coldline storage (read only for a restore)."
  type        = number
  default     = 30
}

variable "backup_delete_after_days" {
  description = "Age in days at which a backup is deleted; must not be shorter than the retention."
  type        = number
  default     = 90
}

# ---------------------------------------------------------------------------------------------------------------------
# Monitoring (monitoring.tf)
# ---------------------------------------------------------------------------------------------------------------------

variable "notification_channels" {
  description = "Notification channels (projects/<p>/notificationChannels/<id>) every alert policy notifies."
  type        = list(string)
  default     = []
}

variable "error_alert_threshold" {
  description = "ERROR log lines of the AIPROD functions within error_alert_window that open an incident."
  type        = number
  default     = 5
}

variable "error_alert_window" {
  description = "Window the error count is taken over."
  type        = string
  default     = "300s"
}

variable "latency_alert_ratio" {
  description = "A stage or step alerts when its 95th-percentile run time exceeds this share of its timeout (the tables' timeout_sec)."
  type        = number
  default     = 0.8

  validation {
    condition     = var.latency_alert_ratio > 0 && var.latency_alert_ratio <= 1
    error_message = "latency_alert_ratio must be in (0, 1]."
  }
}

variable "cost_per_job_alert_usd" {
  description = "A job delivered for more than this (95th percentile over an hour), in USD, opens an incident."
  type        = number
  default     = 5
}

variable "dead_letter_alert_threshold" {
  description = "Dead letters kept in the archive subscription above which an incident opens (0: any dead letter)."
  type        = number
  default     = 0
}

variable "dr_check_absence" {
  description = "How long without any DR report before an incident opens (the check runs every 6 hours; Cloud Monitoring allows at most 23.5 h)."
  type        = string
  default     = "84600s"

  validation {
    condition     = try(tonumber(trimsuffix(var.dr_check_absence, "s")) % 60 == 0 && tonumber(trimsuffix(var.dr_check_absence, "s")) <= 84600 && endswith(var.dr_check_absence, "s"), false)
    error_message = "dr_check_absence must be whole minutes in seconds (e.g. \"84600s\"), at most 23.5 h."
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Generative providers (secrets.tf; their APIs and role join the shared ones in apis.tf and main.tf). Choose them with function_environment_variables, e.g.
# { AIPROD_PROVIDERS = "genai" } (see README, "Generative providers").
# ---------------------------------------------------------------------------------------------------------------------

variable "genai_api_key_secret" {
  description = "The Secret Manager secret holding the Gemini API key, mounted as AIPROD_GENAI_API_KEY: its secret_id, the version to mount, and whether this configuration creates the secret (false for one that exists). Null: no key, Gemini is called through Vertex AI."
  type = object({
    secret_id = string
    version   = optional(string, "latest")
    create    = optional(bool, true)
  })
  default = null
}

variable "genai_service_account_key_secret" {
  description = "The Secret Manager secret holding a service-account key (JSON) for Vertex AI, mounted as AIPROD_GENAI_SERVICE_ACCOUNT_KEY; same fields as genai_api_key_secret. Null: Vertex AI is called as the pipeline service account."
  type = object({
    secret_id = string
    version   = optional(string, "latest")
    create    = optional(bool, true)
  })
  default = null
}

variable "genai_apis" {
  description = "APIs the generative providers need; enabled, and left enabled on destroy."
  type        = list(string)
  default = [
    "aiplatform.googleapis.com",
    "secretmanager.googleapis.com",
  ]
}

variable "genai_service_account_roles" {
  description = "Project-level roles the pipeline service account needs for the generative providers."
  type        = list(string)
  default = [
    "roles/aiplatform.user",
  ]
}

variable "brand_cache_collection" {
  description = "Collection group of the brand memory's derived cache entries; its expireAt field gets the TTL policy."
  type        = string
  default     = "derived"
}

# ---------------------------------------------------------------------------------------------------------------------
# Cloud Billing budget (budgets.tf)
# ---------------------------------------------------------------------------------------------------------------------

variable "billing_account" {
  description = "The Cloud Billing account (XXXXXX-XXXXXX-XXXXXX) that pays for the project: a budget on it watches the project's cost and sends its notifications to the billing-budget service. Null creates no billing budget. Whoever applies needs the Billing Account Costs Manager role on the account (and, with user credentials, a quota project: user_project_override on the provider)."
  type        = string
  default     = null

  validation {
    condition     = var.billing_account == null || can(regex("^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$", coalesce(var.billing_account, "-")))
    error_message = "billing_account must be a billing account id like 012345-6789AB-CDEF01."
  }
}

variable "billing_budget" {
  description = "The project's monthly billing budget: its amount in currency_code (the billing account's currency) and the thresholds (fractions of the amount) at which Cloud Billing alerts; the billing-budget service alerts on the same ones (BUDGET_THRESHOLDS in shared/domain/budget.ts)."
  type = object({
    amount             = number
    currency_code      = string
    threshold_percents = list(number)
  })
  default = {
    amount             = 100
    currency_code      = "USD"
    threshold_percents = [0.5, 0.9, 1.0]
  }

  validation {
    condition     = var.billing_budget.amount > 0 && length(var.billing_budget.threshold_percents) > 0 && alltrue([for t in var.billing_budget.threshold_percents : t > 0])
    error_message = "billing_budget needs a positive amount and at least one positive threshold."
  }
}
