# staging: production's shape at a smaller size. Deployed on every push to
# main (.github/workflows/deploy.yml).
# Not here: image_tag (-var) and certificate_arn (TF_VAR_certificate_arn).
environment = "staging"
aws_region  = "eu-west-1"

availability_zone_ids = ["euw1-az1", "euw1-az2"]
single_nat_gateway    = true

task_cpu     = 512
task_memory  = 1024
min_tasks    = 2
max_tasks    = 4
db_pool_size = 8

db_instance_class        = "db.t4g.small"
db_allocated_storage     = 20
db_max_allocated_storage = 100
db_multi_az              = false
db_backup_retention_days = 7
db_deletion_protection   = true
db_max_connections       = 150

alb_deletion_protection = true
log_retention_days      = 90
