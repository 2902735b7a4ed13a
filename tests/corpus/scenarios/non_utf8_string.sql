SELECT 'café crème';
