# The public entry: HTTPS (and HTTP redirected to it) on an Application Load
# Balancer, which passes WebSocket upgrades on /v1/sync through natively.

resource "aws_security_group" "alb" {
  name_prefix = "${local.name}-alb-"
  description = "Load balancer of ${local.name}: HTTPS and HTTP from anywhere"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${local.name}-alb" }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from devices anywhere"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  #checkov:skip=CKV_AWS_260:Port 80 only answers a 301 redirect to HTTPS (aws_lb_listener.http); nothing is served over plain HTTP.
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from anywhere, redirected to HTTPS"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "alb_to_service" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the hearth-server tasks"
  referenced_security_group_id = aws_security_group.service.id
  ip_protocol                  = "tcp"
  from_port                    = local.container_port
  to_port                      = local.container_port
}

resource "aws_lb" "this" {
  #checkov:skip=CKV_AWS_91:Access logs record each request's URL, and browser clients authenticate /v1/sync with ?token= in the URL: the logs would hold live device tokens. Requests are logged by the WAF instead, with the query string and Authorization header redacted (waf.tf).
  #checkov:skip=CKV2_AWS_76:The Log4j managed rules are there (AWSManagedRulesKnownBadInputsRuleSet, waf.tf); the check also demands AWSManagedRulesAnonymousIpList, which blocks VPN, Tor and hosting-provider addresses, and households on a VPN must still reach their sync server.
  name               = local.name
  internal           = false
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
  subnets            = aws_subnet.public[*].id

  # Neither side pings an idle WebSocket; the ALB closes one after this.
  idle_timeout               = var.alb_idle_timeout
  drop_invalid_header_fields = true
  enable_deletion_protection = var.alb_deletion_protection
  enable_http2               = true
}

resource "aws_lb_target_group" "server" {
  #checkov:skip=CKV_AWS_378:hearth-server speaks plain HTTP and does not terminate TLS (docs/operations.md, "TLS and proxies"); TLS ends at this ALB and the hop to the task stays inside the VPC's private subnets.
  name             = "${local.name}-server"
  port             = local.container_port
  protocol         = "HTTP"
  protocol_version = "HTTP1"
  target_type      = "ip"
  vpc_id           = aws_vpc.this.id

  # On SIGTERM the server closes its WebSockets with 1001 and exits within
  # 5 s; devices reconnect to another task. 30 s lets HTTP requests finish.
  deregistration_delay = 30

  # Readiness: 200 while the database answers, 503 once shutting down.
  health_check {
    enabled             = true
    path                = "/readyz"
    port                = "traffic-port"
    protocol            = "HTTP"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.server.arn
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

# /metrics is for Prometheus inside the VPC, not the internet: the ALB answers
# it as the server answers an unknown path.
resource "aws_lb_listener_rule" "hide_metrics" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 10

  condition {
    path_pattern {
      values = ["/metrics", "/metrics/*"]
    }
  }

  action {
    type = "fixed-response"

    fixed_response {
      content_type = "application/json"
      status_code  = "404"
      message_body = jsonencode({ code = "not_found", message = "no such path" })
    }
  }
}
