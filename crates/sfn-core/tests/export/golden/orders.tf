# The state machine orders and the activities it calls.

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "role_arn" {
  description = "The ARN of the IAM role the executions of the state machine orders run as."
  type        = string
}

variable "lambda_price_order" {
  description = "The Lambda function the definition names price-order."
  type        = string
  default     = "price-order"
}

variable "lambda_ship_item_live" {
  description = "The Lambda function the definition names arn:aws:lambda:us-east-1:123456789012:function:ship-item:live."
  type        = string
  default     = "arn:aws:lambda:us-east-1:123456789012:function:ship-item:live"
}

resource "aws_sfn_activity" "validate_order" {
  name = "validate-order"
}

resource "aws_sfn_activity" "reserve_item" {
  name = "reserve-item"
}

resource "aws_sfn_state_machine" "orders" {
  name     = "orders"
  role_arn = var.role_arn
  type     = "STANDARD"
  definition = jsonencode({
    "Comment" = "Orders: \"quoted\", a colon: here, ünïcödé\nand a second line"
    "StartAt" = "Validate"
    "States" = {
      "Validate" = {
        "Type"             = "Task"
        "Resource"         = aws_sfn_activity.validate_order.id
        "ResultPath"       = "$.validation"
        "TimeoutSeconds"   = 300
        "HeartbeatSeconds" = 20
        "Next"             = "Price"
      }
      "Price" = {
        "Type"     = "Task"
        "Resource" = "arn:aws:states:::lambda:invoke"
        "Parameters" = {
          "FunctionName" = var.lambda_price_order
          "Payload.$"    = "$"
        }
        "ResultSelector" = {
          "total.$" = "$.Payload.total"
        }
        "ResultPath"     = "$.price"
        "TimeoutSeconds" = 60
        "Retry" = [
          {
            "ErrorEquals"     = ["Lambda.ServiceException", "Lambda.TooManyRequestsException"]
            "IntervalSeconds" = 2
            "MaxAttempts"     = 3
            "BackoffRate"     = 2.5
          },
        ]
        "Next" = "Items"
      }
      "Items" = {
        "Type" = "Map"
        "ItemProcessor" = {
          "ProcessorConfig" = {
            "Mode" = "INLINE"
          }
          "StartAt" = "Reserve"
          "States" = {
            "Reserve" = {
              "Type"           = "Task"
              "Resource"       = aws_sfn_activity.reserve_item.id
              "TimeoutSeconds" = 60
              "Next"           = "Ship"
            }
            "Ship" = {
              "Type"           = "Task"
              "Resource"       = var.lambda_ship_item_live
              "TimeoutSeconds" = 60
              "End"            = true
            }
          }
        }
        "ItemsPath" = "$.items"
        "ItemSelector" = {
          "sku.$"   = "$$.Map.Item.Value.sku"
          "order.$" = "$.id"
        }
        "MaxConcurrency" = 5
        "ResultPath"     = "$.reserved"
        "Next"           = "Notify"
      }
      "Notify" = {
        "Type" = "Pass"
        "Parameters" = {
          "message.$" = "States.Format('Order {} costs $${} (100% sure)', $.id, $.price.total)"
          "template"  = "$${not-a-substitution} and %%{ literal } text"
          "empty"     = {}
          "none"      = null
          "flags"     = [true, false, 0.5, -7, "yes", "2010-09-09", ""]
        }
        "ResultPath" = "$.notice"
        "Next"       = "Check"
      }
      "Check" = {
        "Type" = "Choice"
        "Choices" = [
          {
            "Variable"           = "$.price.total"
            "NumericGreaterThan" = 1000
            "Next"               = "Review"
          },
        ]
        "Default" = "Done"
      }
      "Review" = {
        "Type"           = "Task"
        "Resource"       = aws_sfn_activity.validate_order.id
        "TimeoutSeconds" = 3600
        "Next"           = "Done"
      }
      "Done" = {
        "Type" = "Succeed"
      }
    }
  })
}

output "state_machine_arn" {
  description = "The ARN of the state machine orders."
  value       = aws_sfn_state_machine.orders.arn
}

output "activity_validate_order_arn" {
  description = "The ARN of the activity validate-order."
  value       = aws_sfn_activity.validate_order.id
}

output "activity_reserve_item_arn" {
  description = "The ARN of the activity reserve-item."
  value       = aws_sfn_activity.reserve_item.id
}
