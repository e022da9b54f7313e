# prod: three zones with a NAT gateway each, a Multi-AZ database with 30 days
# of point-in-time recovery, deletion protection, a year of logs.
# Not here: image_tag (-var) and certificate_arn (TF_VAR_certificate_arn).
environment = "prod"
aws_region  = "eu-west-1"

availability_zone_ids = ["euw1-az1", "euw1-az2", "euw1-az3"]
single_nat_gateway    = false

task_cpu     = 1024
task_memory  = 2048
min_tasks    = 2
max_tasks    = 10
db_pool_size = 16

db_instance_class        = "db.m7g.large"
db_allocated_storage     = 50
db_max_allocated_storage = 500
db_multi_az              = true
db_backup_retention_days = 30
db_deletion_protection   = true
db_max_connections       = 400

alb_deletion_protection = true
log_retention_days      = 365
