# terraform init -backend-config=backend-prod.hcl
# The bucket and lock table are made by bootstrap/ (README.md, "Bootstrap").
bucket         = "hearth-tfstate-prod"
key            = "hearth/prod/terraform.tfstate"
region         = "eu-west-1"
dynamodb_table = "hearth-tfstate-lock"
encrypt        = true
