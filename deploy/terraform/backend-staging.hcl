# terraform init -backend-config=backend-staging.hcl
# The bucket and lock table are made by bootstrap/ (README.md, "Bootstrap").
bucket         = "hearth-tfstate-staging"
key            = "hearth/staging/terraform.tfstate"
region         = "eu-west-1"
dynamodb_table = "hearth-tfstate-lock"
encrypt        = true
