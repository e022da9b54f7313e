# dev: small and disposable. One NAT gateway, one small database without a
# standby, no deletion protection, short log retention.
# Not here: image_tag (-var) and certificate_arn (TF_VAR_certificate_arn).
environment = "dev"
aws_region  = "eu-west-1"

availability_zone_ids = ["euw1-az1", "euw1-az2"]
single_nat_gateway    = true

task_cpu     = 256
task_memory  = 512
min_tasks    = 1
max_tasks    = 2
db_pool_size = 8

db_instance_class        = "db.t4g.micro"
db_allocated_storage     = 20
db_max_allocated_storage = 50
db_multi_az              = false
db_backup_retention_days = 7
db_deletion_protection   = false
db_max_connections       = 80

alb_deletion_protection = false
log_retention_days      = 30
log_level               = "debug"
