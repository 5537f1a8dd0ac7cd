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
# Media: storyboards, renders and deliveries (shared/adapters/gcp/gcs_blob_store.ts).
# ---------------------------------------------------------------------------------------------------------------------

resource "google_storage_bucket" "media" {
  project  = var.project_id
  name     = coalesce(var.media_bucket_name, "${var.project_id}-${var.name_prefix}-media")
  location = local.bucket_location

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy

  versioning {
    enabled = true
  }

  # Scratch files are deleted after a while, whether or not the job that wrote them cleaned up.
  lifecycle_rule {
    condition {
      age            = var.scratch_retention_days
      matches_prefix = [var.scratch_prefix]
    }
    action {
      type = "Delete"
    }
  }

  # Versioning keeps overwritten and deleted objects as noncurrent versions; drop those after a while too.
  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_version_retention_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.enabled]
}

# ---------------------------------------------------------------------------------------------------------------------
# Function source: one archive of the built repository, uploaded under a name that changes with its content, so a new
# build redeploys every function and an unchanged one redeploys none.
# ---------------------------------------------------------------------------------------------------------------------

resource "google_storage_bucket" "source" {
  count = var.source_bucket == null ? 1 : 0

  project  = var.project_id
  name     = "${var.project_id}-${var.name_prefix}-source"
  location = local.bucket_location

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy

  depends_on = [google_project_service.enabled]
}

locals {
  source_bucket = coalesce(var.source_bucket, one(google_storage_bucket.source[*].name))
  source_dir    = coalesce(var.source_dir, "${path.module}/..")

  source_archive_path = coalesce(var.source_archive_path, one(data.archive_file.source[*].output_path))
  source_archive_md5  = var.source_archive_path != null ? filemd5(var.source_archive_path) : one(data.archive_file.source[*].output_md5)
}

data "archive_file" "source" {
  count = var.source_archive_path == null ? 1 : 0

  type        = "zip"
  source_dir  = local.source_dir
  excludes    = var.source_archive_excludes
  output_path = "${path.module}/.terraform/aiprod-source.zip"
}

resource "google_storage_bucket_object" "source" {
  bucket = local.source_bucket
  name   = "${var.name_prefix}/source-${local.source_archive_md5}.zip"
  source = local.source_archive_path
}
