# The stack module's outputs, whole: cloudfolio/terraform.py reads each as a top-level name, so
# every output is declared and described once, in infra/modules/stack/outputs.tf.
output "stack" {
  description = "Everything the stack module exports."
  value       = module.stack
}
