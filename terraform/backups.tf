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
# Backups: the scheduled DR check exports Firestore here (gs://<bucket>/firestore/<backup id>), then restores the export
# into the scratch database (firestore.tf) to verify it.
# ---------------------------------------------------------------------------------------------------------------------

resource "google_storage_bucket" "backups" {
  project  = var.project_id
  name     = coalesce(var.backup_bucket_name, "${var.project_id}-${var.name_prefix}-backups")
  location = local.bucket_location

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy

  # No backup can be deleted or replaced before it is this old, whoever asks. (A bucket with a retention policy cannot
  # be versioned, and needs no versions: nothing in it can be overwritten early.)
  retention_policy {
    retention_period = var.backup_retention_days * 86400
  }

  lifecycle_rule {
    condition {
      age = var.backup_coldline_after_days
    }
    action {
      type          = "SetStorageClass"
      storage_class = "COLDLINE"
    }
  }

  lifecycle_rule {
    condition {
      age = var.backup_delete_after_days
    }
    action {
      type = "Delete"
    }
  }

  lifecycle {
    precondition {
      condition     = var.backup_delete_after_days >= var.backup_retention_days
      error_message = "backup_delete_after_days (${var.backup_delete_after_days}) must not be shorter than backup_retention_days (${var.backup_retention_days})."
    }
  }

  depends_on = [google_project_service.enabled]
}

# Firestore's service agent writes the export and reads it back for the import.
resource "google_storage_bucket_iam_member" "firestore_agent_backups" {
  bucket = google_storage_bucket.backups.name
  role   = "roles/storage.admin"
  member = "serviceAccount:service-${data.google_project.current.number}@gcp-sa-firestore.iam.gserviceaccount.com"

  depends_on = [google_project_service.enabled]
}

# The DR function starts exports into and imports from the bucket, which needs the caller's access to it as well.
resource "google_storage_bucket_iam_member" "pipeline_backups" {
  for_each = toset(["roles/storage.objectAdmin", "roles/storage.legacyBucketReader"])

  bucket = google_storage_bucket.backups.name
  role   = each.value
  member = local.service_account_member
}
