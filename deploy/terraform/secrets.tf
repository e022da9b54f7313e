# The two secrets the server reads, injected into the tasks by ECS (the
# task definition's `secrets`), never written into the task definition.
#
# Their values are also in the Terraform state (random_password), which is
# why the state bucket is encrypted and readable only by the deploy roles.

resource "random_password" "database" {
  length  = 40
  special = false
}

resource "random_password" "registration" {
  length  = 40
  special = false
}

locals {
  # sqlx's URL form. With db_require_tls the connection must use TLS;
  # without it sqlx's default (prefer) uses TLS when the database offers it.
  database_url = format(
    "postgres://%s:%s@%s:%d/%s%s",
    aws_db_instance.this.username,
    random_password.database.result,
    aws_db_instance.this.address,
    aws_db_instance.this.port,
    aws_db_instance.this.db_name,
    var.db_require_tls ? "?sslmode=require" : "",
  )
}

resource "aws_secretsmanager_secret" "database_url" {
  #checkov:skip=CKV2_AWS_57:The value is a whole postgres:// URL built from the RDS password; the AWS rotation functions rotate JSON credentials, not a URL. Rotate with terraform apply -replace=random_password.database (the RDS password and this secret change in one apply), then force a new deployment.
  name                    = "${var.name}/${var.environment}/database-url"
  description             = "HEARTH_DATABASE_URL of ${local.name}"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "database_url" {
  secret_id     = aws_secretsmanager_secret.database_url.id
  secret_string = local.database_url
}

resource "aws_secretsmanager_secret" "registration" {
  #checkov:skip=CKV2_AWS_57:The registration secret is handed to people who create households; rotating it on a schedule would lock them out without notice. Rotate with terraform apply -replace=random_password.registration, then force a new deployment.
  name                    = "${var.name}/${var.environment}/registration-secret"
  description             = "HEARTH_REGISTRATION_SECRET of ${local.name}: needed to create a household"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "registration" {
  secret_id     = aws_secretsmanager_secret.registration.id
  secret_string = random_password.registration.result
}
