# hearth-server on ECS Fargate: the long-running service behind the ALB, and
# a one-off task definition that runs `hearth-server migrate`, which the
# deploy pipeline runs before the service moves to a new image.

resource "aws_ecs_cluster" "this" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

# --- Logs -----------------------------------------------------------------

resource "aws_cloudwatch_log_group" "server" {
  name              = "/hearth/${var.environment}/hearth-server"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
}

# --- IAM ------------------------------------------------------------------

# The execution role is what ECS itself uses to start a task: read the two
# secrets and write the log stream. The tasks get no role at all: the server
# calls no AWS API.
resource "aws_iam_role" "execution" {
  name                 = "${local.name}-ecs-execution"
  permissions_boundary = local.permissions_boundary

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
      }
    }]
  })
}

resource "aws_iam_role_policy" "execution" {
  name = "start-hearth-server"
  role = aws_iam_role.execution.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.server.arn}:*"
      },
      {
        Sid    = "ReadSecrets"
        Effect = "Allow"
        Action = ["secretsmanager:GetSecretValue"]
        Resource = compact([
          aws_secretsmanager_secret.database_url.arn,
          aws_secretsmanager_secret.registration.arn,
          var.registry_credentials_secret_arn,
        ])
      },
      {
        Sid      = "DecryptSecrets"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = aws_kms_key.this.arn
        Condition = {
          StringEquals = { "kms:ViaService" = "secretsmanager.${var.aws_region}.amazonaws.com" }
        }
      },
    ]
  })
}

# --- Task definitions -----------------------------------------------------

locals {
  log_options = {
    "awslogs-group"         = aws_cloudwatch_log_group.server.name
    "awslogs-region"        = var.aws_region
    "mode"                  = "non-blocking"
    "max-buffer-size"       = "25m"
    "awslogs-stream-prefix" = "server"
  }

  # Settings come from HEARTH_* variables (docs/operations.md, "Configuration").
  server_environment = [
    { name = "HEARTH_LISTEN", value = "0.0.0.0:${local.container_port}" },
    { name = "HEARTH_LOG_FORMAT", value = "json" },
    { name = "HEARTH_LOG_LEVEL", value = var.log_level },
    { name = "HEARTH_DB_POOL_SIZE", value = tostring(var.db_pool_size) },
    { name = "HEARTH_PAIR_PER_MINUTE", value = tostring(var.pair_per_minute) },
    # The ALB is the one proxy that appends to X-Forwarded-For.
    { name = "HEARTH_FORWARDED_HOPS", value = "1" },
  ]

  repository_credentials = var.registry_credentials_secret_arn == null ? {} : {
    repositoryCredentials = { credentialsParameter = var.registry_credentials_secret_arn }
  }

  server_container = merge(local.repository_credentials, {
    name      = local.container_name
    image     = local.server_image
    essential = true
    command   = ["serve"]

    portMappings = [{
      containerPort = local.container_port
      protocol      = "tcp"
      appProtocol   = "http"
      name          = "http"
    }]

    environment = local.server_environment
    secrets = [
      { name = "HEARTH_DATABASE_URL", valueFrom = aws_secretsmanager_secret.database_url.arn },
      { name = "HEARTH_REGISTRATION_SECRET", valueFrom = aws_secretsmanager_secret.registration.arn },
    ]

    # The image has no shell or curl; `hearth-server health` asks /healthz.
    healthCheck = {
      command     = ["CMD", "/usr/local/bin/hearth-server", "health"]
      interval    = 15
      timeout     = 5
      retries     = 3
      startPeriod = 30
    }

    # SIGTERM: /readyz turns 503, WebSockets close with 1001, exit within 5 s.
    stopTimeout = 30

    readonlyRootFilesystem = true
    ulimits = [{
      name      = "nofile"
      softLimit = 65536
      hardLimit = 65536
    }]

    logConfiguration = {
      logDriver = "awslogs"
      options   = local.log_options
    }
  })

  migrate_container = merge(local.repository_credentials, {
    name      = "hearth-migrate"
    image     = local.migrate_image
    essential = true
    command   = ["migrate"]

    environment = [
      { name = "HEARTH_LOG_FORMAT", value = "json" },
      { name = "HEARTH_LOG_LEVEL", value = var.log_level },
      { name = "HEARTH_DB_POOL_SIZE", value = "2" },
    ]
    secrets = [
      { name = "HEARTH_DATABASE_URL", valueFrom = aws_secretsmanager_secret.database_url.arn },
    ]

    readonlyRootFilesystem = true

    logConfiguration = {
      logDriver = "awslogs"
      options   = merge(local.log_options, { "awslogs-stream-prefix" = "migrate" })
    }
  })
}

resource "aws_ecs_task_definition" "server" {
  family                   = "${local.name}-server"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions    = jsonencode([local.server_container])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_task_definition" "migrate" {
  family                   = "${local.name}-migrate"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions    = jsonencode([local.migrate_container])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

# --- Service --------------------------------------------------------------

resource "aws_security_group" "service" {
  name_prefix = "${local.name}-service-"
  description = "hearth-server tasks of ${local.name}: from the ALB; to PostgreSQL and HTTPS"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${local.name}-service" }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "service_from_alb" {
  security_group_id            = aws_security_group.service.id
  description                  = "HTTP and WebSocket from the load balancer"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = local.container_port
  to_port                      = local.container_port
}

resource "aws_vpc_security_group_egress_rule" "service_to_database" {
  security_group_id            = aws_security_group.service.id
  description                  = "PostgreSQL"
  referenced_security_group_id = aws_security_group.database.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_vpc_security_group_egress_rule" "service_https" {
  security_group_id = aws_security_group.service.id
  description       = "HTTPS through NAT: the image registry, Secrets Manager, CloudWatch Logs"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_ecs_service" "server" {
  name             = "hearth-server"
  cluster          = aws_ecs_cluster.this.id
  task_definition  = aws_ecs_task_definition.server.arn
  desired_count    = var.min_tasks
  launch_type      = "FARGATE"
  platform_version = "LATEST"
  propagate_tags   = "SERVICE"

  enable_ecs_managed_tags = true
  enable_execute_command  = false

  # Rolling deployment: new tasks start (up to twice the count) before old
  # ones stop; a deployment whose tasks keep failing is rolled back.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 60

  deployment_controller {
    type = "ECS"
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.service.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.server.arn
    container_name   = local.container_name
    container_port   = local.container_port
  }

  lifecycle {
    # Autoscaling owns the count once the service exists.
    ignore_changes = [desired_count]

    precondition {
      condition     = var.max_tasks >= var.min_tasks
      error_message = "max_tasks must be at least min_tasks."
    }

    # Twice max_tasks while a deployment runs old and new tasks side by side,
    # each with db_pool_size + 1 connections, plus the migration task and 10
    # for RDS's reserved and operators' connections.
    precondition {
      condition     = 2 * var.max_tasks * (var.db_pool_size + 1) + 3 + 10 <= var.db_max_connections
      error_message = "db_max_connections is too small for 2 x max_tasks x (db_pool_size + 1) + 13 connections."
    }
  }

  depends_on = [aws_lb_listener.https]
}

# --- Autoscaling ----------------------------------------------------------

resource "aws_appautoscaling_target" "service" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.server.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_tasks
  max_capacity       = var.max_tasks
}

# Scaling in ends the WebSockets of the stopped tasks (devices reconnect at
# once), so it waits longer than scaling out.
resource "aws_appautoscaling_policy" "cpu" {
  name               = "${local.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  resource_id        = aws_appautoscaling_target.service.resource_id
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = 600
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  name               = "${local.name}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  resource_id        = aws_appautoscaling_target.service.resource_id
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.requests_per_target
    scale_in_cooldown  = 600
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${aws_lb.this.arn_suffix}/${aws_lb_target_group.server.arn_suffix}"
    }
  }
}
