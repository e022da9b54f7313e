# terraform init -backend-config=backend-dev.hcl
# The bucket and lock table are made by bootstrap/ (README.md, "Bootstrap").
bucket         = "hearth-tfstate-dev"
key            = "hearth/dev/terraform.tfstate"
region         = "eu-west-1"
dynamodb_table = "hearth-tfstate-lock"
encrypt        = true
