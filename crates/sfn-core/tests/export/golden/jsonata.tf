# The state machine jsonata and the activities it calls.

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "role_arn" {
  description = "The ARN of the IAM role the executions of the state machine jsonata run as."
  type        = string
}

variable "lambda_score_prod" {
  description = "The Lambda function the definition names score:prod."
  type        = string
  default     = "score:prod"
}

resource "aws_sfn_activity" "audit" {
  name = "audit"
}

resource "aws_sfn_state_machine" "jsonata" {
  name     = "jsonata"
  role_arn = var.role_arn
  type     = "STANDARD"
  definition = jsonencode({
    "Comment"       = "JSONata: a Parallel whose branches call a Lambda function by name and an activity"
    "QueryLanguage" = "JSONata"
    "StartAt"       = "Fan"
    "States" = {
      "Fan" = {
        "Type" = "Parallel"
        "Branches" = [
          {
            "StartAt" = "Score"
            "States" = {
              "Score" = {
                "Type"     = "Task"
                "Resource" = "arn:aws:states:::lambda:invoke"
                "Arguments" = {
                  "FunctionName" = var.lambda_score_prod
                  "Payload"      = "{% $states.input %}"
                }
                "Output"         = "{% $states.result.Payload %}"
                "TimeoutSeconds" = 30
                "End"            = true
              }
            }
          },
          {
            "StartAt" = "Audit"
            "States" = {
              "Audit" = {
                "Type"             = "Task"
                "Resource"         = aws_sfn_activity.audit.id
                "Arguments"        = "{% {'id': $states.input.id, 'at': $now()} %}"
                "TimeoutSeconds"   = 30
                "HeartbeatSeconds" = 10
                "End"              = true
              }
            }
          },
        ]
        "Assign" = {
          "total" = "{% $sum($states.result[0].scores) %}"
        }
        "Next" = "Report"
      }
      "Report" = {
        "Type" = "Pass"
        "Output" = {
          "text"  = "{% 'Total: ' & $string($total) & ' $${kept as written}' %}"
          "ratio" = 1.5e-7
          "big"   = 12345678901234567890
        }
        "End" = true
      }
    }
  })
}

output "state_machine_arn" {
  description = "The ARN of the state machine jsonata."
  value       = aws_sfn_state_machine.jsonata.arn
}

output "activity_audit_arn" {
  description = "The ARN of the activity audit."
  value       = aws_sfn_activity.audit.id
}
