# Defaults are the production-safe choice; environments/<env>.tfvars relax
# what a smaller environment does not need. Two values are not in the tfvars
# files: image_tag (the deploy pipeline passes the commit's SHA) and
# certificate_arn (an account-specific ARN, passed as TF_VAR_certificate_arn
# from the GitHub environment's variables, or -var on the command line).

# --- Environment ----------------------------------------------------------

variable "environment" {
  description = "Environment name: dev, staging or prod. Part of every resource name."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "name" {
  description = "Name prefix of every resource (resources are named <name>-<environment>)."
  type        = string
  default     = "hearth"
}

variable "aws_region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-1"
}

variable "extra_tags" {
  description = "Tags added to every resource, besides Project, Environment, ManagedBy and Repository."
  type        = map(string)
  default     = {}
}

# --- Network --------------------------------------------------------------

variable "vpc_cidr" {
  description = "CIDR block of the VPC. Public subnets take /24s from index 0, private ones from index 10."
  type        = string
  default     = "10.40.0.0/16"
}

variable "availability_zone_ids" {
  description = "Zone IDs (the same in every account, unlike zone names) to spread the subnets, NAT gateways and tasks over, in aws_region. Pinned so that AWS adding a zone changes nothing."
  type        = list(string)
  default     = ["euw1-az1", "euw1-az2", "euw1-az3"]

  validation {
    condition     = length(var.availability_zone_ids) >= 2 && length(var.availability_zone_ids) <= 6
    error_message = "availability_zone_ids must name 2 to 6 zones (an ALB and a Multi-AZ database need two)."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all private subnets (cheaper; the zone it lives in is a single point of failure for outbound traffic) instead of one per zone."
  type        = bool
  default     = false
}

# --- Image ----------------------------------------------------------------

variable "image_repository" {
  description = "Container image repository of hearth-server (built by .github/workflows/image.yml)."
  type        = string
  default     = "ghcr.io/hearth-app/hearth-server"
}

variable "image_tag" {
  description = "Image tag to deploy: the commit SHA the image was built from. The migration task always uses it."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid container image tag."
  }
}

variable "service_image_tag" {
  description = "Image tag the service runs, when it should differ from image_tag. The deploy pipeline sets it to the running tag for the apply that precedes the migration task; null means image_tag."
  type        = string
  default     = null
}

variable "registry_credentials_secret_arn" {
  description = "Secrets Manager secret ({\"username\":..,\"password\":..}) for pulling a private image; null when the image is public."
  type        = string
  default     = null
}

# --- Service --------------------------------------------------------------

variable "task_cpu" {
  description = "Fargate CPU units of a server task (256 = 0.25 vCPU)."
  type        = number
  default     = 1024
}

variable "task_memory" {
  description = "Fargate memory of a server task, in MiB (must suit task_cpu)."
  type        = number
  default     = 2048
}

variable "min_tasks" {
  description = "Fewest server tasks; autoscaling never goes below it."
  type        = number
  default     = 2

  validation {
    condition     = var.min_tasks >= 1
    error_message = "min_tasks must be at least 1."
  }
}

variable "max_tasks" {
  description = "Most server tasks autoscaling may run."
  type        = number
  default     = 10
}

variable "cpu_target_percent" {
  description = "Target average CPU utilisation of the service for target tracking."
  type        = number
  default     = 60
}

variable "requests_per_target" {
  description = "Target ALB requests per task per minute for target tracking. WebSocket frames are not requests: this tracks the HTTP API and (re)connections."
  type        = number
  default     = 1000
}

variable "log_level" {
  description = "HEARTH_LOG_LEVEL: a tracing filter such as info or hearth_server=debug,sqlx=warn."
  type        = string
  default     = "info"
}

variable "db_pool_size" {
  description = "HEARTH_DB_POOL_SIZE: database connections per task (each task holds one more for LISTEN)."
  type        = number
  default     = 16
}

variable "pair_per_minute" {
  description = "HEARTH_PAIR_PER_MINUTE: pairing attempts per client address per task and minute. The ALB appends the client's address to X-Forwarded-For (HEARTH_FORWARDED_HOPS=1), and the WAF limits pairing per client address too (waf.tf)."
  type        = number
  default     = 10
}

variable "pair_limit_per_5min" {
  description = "WAF: most POSTs to /v1/pair (and /v1/households) from one client address in five minutes."
  type        = number
  default     = 20
}

variable "request_limit_per_5min" {
  description = "WAF: most requests from one client address in five minutes."
  type        = number
  default     = 3000
}

# --- Load balancer --------------------------------------------------------

variable "certificate_arn" {
  description = "ARN of the ACM certificate for the HTTPS listener (same region). Passed as TF_VAR_certificate_arn by the deploy pipeline."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "alb_idle_timeout" {
  description = "Seconds a connection may stay idle before the ALB closes it. Neither hearth nor the server sends WebSocket pings, so a quiet sync --watch connection must outlive this."
  type        = number
  default     = 3600
}

variable "alb_deletion_protection" {
  description = "Deletion protection on the load balancer."
  type        = bool
  default     = true
}

# --- Database -------------------------------------------------------------

variable "db_engine_version" {
  description = "PostgreSQL version; a major version alone lets RDS pick (and upgrade) the minor version."
  type        = string
  default     = "15"
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.m7g.large"
}

variable "db_allocated_storage" {
  description = "Initial storage in GiB."
  type        = number
  default     = 50
}

variable "db_max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB."
  type        = number
  default     = 500
}

variable "db_multi_az" {
  description = "A synchronous standby in another zone, with automatic failover."
  type        = bool
  default     = true
}

variable "db_backup_retention_days" {
  description = "Days of automated backups; point-in-time recovery reaches back this far."
  type        = number
  default     = 30

  validation {
    condition     = var.db_backup_retention_days >= 7 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be between 7 and 35."
  }
}

variable "db_deletion_protection" {
  description = "Deletion protection on the database. Turn it off (and apply) before a deliberate destroy."
  type        = bool
  default     = true
}

variable "db_max_connections" {
  description = "PostgreSQL max_connections. Must cover every task during a rolling deployment (twice max_tasks) times db_pool_size + 1, plus the migration task and a reserve; checked at plan time."
  type        = number
  default     = 400
}

variable "db_require_tls" {
  description = "rds.force_ssl and sslmode=require in the database URL (hearth-server connects with TLS via rustls)."
  type        = bool
  default     = true
}

variable "db_iam_authentication" {
  description = "Enable IAM database authentication (the server itself uses the password in HEARTH_DATABASE_URL; this lets operators connect with IAM credentials)."
  type        = bool
  default     = true
}

# --- Logs -----------------------------------------------------------------

variable "log_retention_days" {
  description = "Retention of every CloudWatch log group (server, migrations, database, VPC flow logs, WAF)."
  type        = number
  default     = 365
}

variable "use_permissions_boundary" {
  description = "Attach the <name>-<environment>-workload-boundary policy (made by bootstrap/) to every IAM role this module creates; bootstrap's deploy role may create roles only with it."
  type        = bool
  default     = true
}
