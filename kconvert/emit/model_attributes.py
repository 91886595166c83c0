"""Attribute names a ``keras.Model`` already has: a layer stored under one would break the model.

Taken from ``dir(keras.Model)`` (Keras 3) plus the attributes set on instances.
"""

MODEL_ATTRIBUTES = frozenset("""
    add_loss add_metric add_variable add_weight build build_from_config call compile
    compile_from_config compiled_loss compiled_metrics compute_dtype compute_loss compute_mask
    compute_metrics compute_output_shape compute_output_spec count_params distribute_reduction_method
    distribute_strategy dtype dtype_policy evaluate export fit from_config get_build_config
    get_compile_config get_config get_layer get_metrics_result get_quantization_layer_structure
    get_state_tree get_weights input input_dtype input_spec jit_compile layers load_own_variables
    load_weights loss losses make_predict_function make_test_function make_train_function metrics
    metrics_names metrics_variables non_trainable_variables non_trainable_weights output path predict
    predict_on_batch predict_step quantization_mode quantize quantized_build quantized_call
    rematerialized_call reset_metrics run_eagerly save save_own_variables save_weights set_state_tree
    set_weights stateless_call stateless_compute_loss summary supports_masking symbolic_call
    test_on_batch test_step to_json train_on_batch train_step trainable trainable_variables
    trainable_weights variable_dtype variables weights
    name built inputs outputs optimizer stop_training history submodules
    """.split())

# Properties of a layer's graph (``dir(keras.Model)`` once it is a Functional model; ``input`` and
# ``output`` on any called Layer) that a parameter may be named after: a class stores such a
# parameter under its ``_`` name, which is free on the instance.
GRAPH_PROPERTIES = frozenset({"input_shape", "output_shape", "input", "output", "operations"})
