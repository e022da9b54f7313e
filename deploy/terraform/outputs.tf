# The deploy pipeline reads the ecs_* / migrate_* / service_* outputs to run
# the migration task and to check the rollout (.github/workflows/deploy.yml).

output "alb_dns_name" {
  description = "DNS name of the load balancer: point the server's host name (CNAME or Route 53 alias) at it."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone ID of the load balancer, for a Route 53 alias record."
  value       = aws_lb.this.zone_id
}

output "ecs_cluster_name" {
  description = "ECS cluster of the service and the migration task."
  value       = aws_ecs_cluster.this.name
}

output "ecs_service_name" {
  description = "ECS service running hearth-server."
  value       = aws_ecs_service.server.name
}

output "server_task_definition_arn" {
  description = "Task definition revision the service should run after this apply."
  value       = aws_ecs_task_definition.server.arn
}

output "service_image_tag" {
  description = "Image tag the service runs."
  value       = local.service_image_tag
}

output "migrate_task_definition_arn" {
  description = "Task definition revision that runs `hearth-server migrate` with image_tag."
  value       = aws_ecs_task_definition.migrate.arn
}

output "migrate_container_name" {
  description = "Container of the migration task definition."
  value       = local.migrate_container.name
}

output "private_subnet_ids" {
  description = "Comma-separated private subnets, for `aws ecs run-task --network-configuration`."
  value       = join(",", aws_subnet.private[*].id)
}

output "service_security_group_id" {
  description = "Security group of the server tasks (the migration task uses it too)."
  value       = aws_security_group.service.id
}

output "database_endpoint" {
  description = "Address of the PostgreSQL instance (reachable only from the server's security group)."
  value       = aws_db_instance.this.address
}

output "database_url_secret_arn" {
  description = "Secrets Manager secret holding HEARTH_DATABASE_URL."
  value       = aws_secretsmanager_secret.database_url.arn
}

output "registration_secret_arn" {
  description = "Secrets Manager secret holding HEARTH_REGISTRATION_SECRET (give it to people who create households)."
  value       = aws_secretsmanager_secret.registration.arn
}

output "server_log_group" {
  description = "CloudWatch log group of the server and migration tasks (JSON lines)."
  value       = aws_cloudwatch_log_group.server.name
}
