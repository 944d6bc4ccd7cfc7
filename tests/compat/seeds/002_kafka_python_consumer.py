from kafka import KafkaConsumer
import json

# Initialize consumer
consumer = KafkaConsumer('my_topic', 
                         group_id='my-group', 
                         bootstrap_servers='localhost:9092',
                         value_deserializer=lambda m: json.loads(m.decode('utf-8')))

# Consume messages
for message in consumer:
    print(f"Received message: {message.value}")
